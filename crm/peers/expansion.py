"""What the general search adds to what was typed: the concepts it names, in English, and city exonyms.

"mosquée" and "Weihnachtsmarkt" name the concepts ``detail:mosque`` and ``detail:christmas_market``
(seeds/concepts.json and seeds/concepts/<lang>.json, the same as the peer search); their English
terms are added to the query, since most records are written in English. "Nizza", "Londres" and
"Kopenhagen" are common names of Nice, London and Copenhagen (seeds/exonyms.json).
"""

from __future__ import annotations

import json
from functools import cache

from crm.peers import text as T
from crm.resources import seeds_dir

# Concepts precise enough to search for by their terms; a target ("place of worship") or a theme
# ("media") would bring in everything near it.
EXPANDED_FACETS = ("attack", "motive", "aftermath", "detail", "topic")
TERMS_PER_CONCEPT = 4
MAX_EXONYM_WORDS = 4


@cache
def exonyms() -> dict[tuple[str, ...], str]:
    """Return {folded words of an exonym: the name the city is recorded under}."""
    try:
        data = json.loads((seeds_dir() / "exonyms.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    out = {}
    for name, others in (data.get("cities") or {}).items():
        for other in others:
            words = tuple(T.fold(w) for w in T.words(other))
            if words and T.fold(other) != T.fold(name):
                out.setdefault(words, name)
    return out


def expansions(text: str) -> list[str]:
    """Return the words to add to a search for ``text``: concept terms in English and city names."""
    from crm.peers.concepts import extract_concepts, load_vocabulary

    text = str(text or "")[:2000]
    if not text.strip():
        return []
    out: list[str] = []
    vocabulary = load_vocabulary()
    found = extract_concepts(text)
    folded = [T.fold(w) for w in T.words(text)]
    typed = set(folded)
    for concept in sorted(found.keys()):
        english = vocabulary.english_terms.get(concept, [])
        # typed in English already ("mosque"): the search stays what it was
        if concept.split(":", 1)[0] in EXPANDED_FACETS and not any(
                {T.fold(w) for w in T.words(term)} <= typed for term in english):
            out.extend(sorted(english, key=len)[:TERMS_PER_CONCEPT])  # the plainest words
    names = exonyms()
    for i in range(len(folded)):
        for n in range(MAX_EXONYM_WORDS, 0, -1):
            name = names.get(tuple(folded[i:i + n]))
            if name:
                out.append(name)
                break
    return [term for term in dict.fromkeys(out) if not set(T.fold(w) for w in T.words(term)) <= typed]


def expand_query(text: str) -> str:
    """Return ``text`` followed by its expansions (the typed words first: they weigh as typed)."""
    extra = expansions(text)
    return f"{text} {' '.join(extra)}" if extra else str(text or "")
