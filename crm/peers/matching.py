"""Peer-adviser search: rank member cities that lived through an attack like the one described.

Plain Python over any ``crm.search_backend.SearchBackend`` (plain values in hits): no Flask, no database. The document builders take plain dicts (seed
records or model attributes) so the seeds loader and the database indexer build the same documents.
"""

from __future__ import annotations

import html
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from crm.peers import text as T
from crm.peers.concepts import extract_concepts, load_vocabulary
from crm.peers.reasons import Capitalised, Joined, Language, Reason, Term, _l

PEER_KINDS = ("incident", "lesson", "city")
CORE_FACETS = ("attack", "target", "motive")
# How much a shared concept counts, by facet. Kind, target and motive of the attack carry the match.
FACET_WEIGHTS = {"attack": 3.0, "target": 2.2, "motive": 2.0, "aftermath": 0.6, "theme": 0.5, "detail": 1.0,
                 "topic": 0.6}
# Details of the setting (a Christmas market, a synagogue, a school) are only read from the texts: never
# recorded as facets, they count in full when named, and like the core facets only for lived incidents.
TEXT_ONLY_FACETS = ("detail",)
MENTION_FACTOR = 0.45  # a concept only named in the text, not recorded as a facet
NOT_LIVED_FACTOR = 0.3  # attack/target/motive found in a lesson or profile without a lived incident
SYNERGY = 0.35  # extra per additional core facet shared by the same document
EXTRA_VALUE = 0.3  # a second value of the same facet (bombing *and* shooting) adds this share of its weight
TEXT_WEIGHT = 1.6  # the free-text share of the score (Whoosh BM25, normalised to the best hit)
SUPPORT_FACTOR = 0.12  # each further supporting document of the same city, at most SUPPORT_DOCS
SUPPORT_DOCS = 3
MAX_TEXT_TERMS = 16  # the rarest words of a description that take part in the query
MATCHED_DOCS = 3  # supporting documents returned per city
# A description that asks about a response need (rumours, riots, a victims' fund, families from abroad) and
# names no kind of attack is "need-led": the needs weigh like the attack would, a lesson's own text counts
# as stating a need, and the free-text channel weighs as much as the concept channel.
# Topics (a victims' fund, foreign victims, one point of contact, a livestream) are needs finer than the
# themes, never recorded: only read from what a lesson or an incident's account says.
NEED_FACETS = ("aftermath", "theme", "topic")
NEED_LED_WEIGHTS = {"aftermath": 2.2, "theme": 2.2, "topic": 2.6}
NEED_MENTION_FACTOR = 0.8  # a need a lesson's text states, in a need-led query
# Reciprocal rank fusion of the concept channel and the free-text (BM25 over passages) channel:
# a city scores weight / (RRF_K + rank) in each channel it appears in.
RRF_K = 8
# The concept channel weighs 1. An attack-led query keeps the concept score alone (which holds a share of
# the text score already): ranks lose the margin by which a lived attack beats a prevention lesson.
RRF_TEXT_WEIGHT = {"attack": 0.0, "need": 1.0}
SNIPPETS = 1  # of which this many (the best first) carry a highlighted snippet
SNIPPET_SCAN_CHARS = 2000  # a snippet comes from the start of a long document
# Neighbouring values of a facet earn part of its weight: a racist attack on a mosque is close to an
# anti-Muslim one, a concert is a crowded public place. Symmetric; similarity in (0, 1).
_NEIGHBOURS = {
    ("motive:anti_muslim", "motive:racist_xenophobic"): 0.5,
    ("motive:far_right", "motive:racist_xenophobic"): 0.5,
    ("motive:far_right", "motive:anti_muslim"): 0.4,
    ("motive:far_right", "motive:antisemitic"): 0.4,
    ("motive:antisemitic", "motive:racist_xenophobic"): 0.3,
    ("motive:anti_lgbtq", "motive:far_right"): 0.3,
    ("motive:misogynist", "motive:far_right"): 0.3,
    ("target:place_of_worship", "target:minority_community"): 0.4,
    ("target:refugee_housing", "target:minority_community"): 0.5,
    ("target:concert_arena", "target:crowded_public_place"): 0.5,
    ("target:shops", "target:crowded_public_place"): 0.4,
    ("target:lgbtq_venue", "target:crowded_public_place"): 0.3,
    ("attack:arson", "attack:desecration_vandalism"): 0.4,
    ("attack:threats_harassment", "attack:desecration_vandalism"): 0.4,
}
NEIGHBOURS: dict[str, dict[str, float]] = defaultdict(dict)
for (_a, _b), _sim in _NEIGHBOURS.items():
    NEIGHBOURS[_a][_b] = NEIGHBOURS[_b][_a] = _sim

# How a reason sentence names the target of an incident ("Shooting at a place of worship").
TARGET_PHRASES = {
    "place_of_worship": _l("at a place of worship"), "lgbtq_venue": _l("at an LGBTQ+ venue"),
    "crowded_public_place": _l("on a crowded public place"), "concert_arena": _l("at a concert or arena"),
    "school_youth": _l("at a school or youth activity"),
    "government_politicians": _l("on government or politicians"), "police_soldiers": _l("on police or soldiers"),
    "shops": _l("at shops"), "refugee_housing": _l("on refugee housing"),
    "minority_community": _l("on a minority community"),
}
# How a reason names a facet ("Shares: attack: shooting; target: place of worship").
FACET_WORDS = {"attack": _l("attack"), "target": _l("target"), "motive": _l("motive"), "aftermath": _l("aftermath")}
LANGUAGE_LABELS = {"en": "English", "fr": "French", "de": "German", "es": "Spanish", "no": "Norwegian",
                   "ar": "Arabic", "it": "Italian", "nl": "Dutch", "sv": "Swedish", "da": "Danish",
                   "pt": "Portuguese", "pl": "Polish", "tr": "Turkish"}


@dataclass
class MatchedDoc:
    """A document that supports a peer match, with a highlighted snippet (HTML, escaped)."""

    doc_id: str
    kind: str
    title: str
    score: float
    snippet: str
    shared: list[str]
    year: str = ""


@dataclass
class PeerMatch:
    """A member city proposed as a peer adviser, with the reasons for proposing it."""

    city_id: str
    score: float
    reasons: list[str]  # each a crm.peers.reasons.Reason: its English text, said in the reader's language when shown
    matched_docs: list[MatchedDoc]
    shared_facets: dict[str, list[str]]
    shared_languages: list[str]
    city_name: str = ""
    needs_met: list[str] = field(default_factory=list)
    needs_missed: list[str] = field(default_factory=list)
    # One entry per reason: {"reason": text, "facets": {"facet:key": doc_id of the record that states it}},
    # and for a need told of in a record's text, "told": {"facet:key": doc_id of the record whose words say it}
    grounds: list[dict] = field(default_factory=list)


# -- documents -------------------------------------------------------------------------------------

def _label(key: str) -> str:
    return str(key).replace("_", " ")


def _facet_terms(facets: dict | None) -> list[str]:
    out = []
    for facet, keys in (facets or {}).items():
        for key in keys or ():
            out.append(f"{facet}:{key}")
    return out


def _mentions(*texts: str) -> list[str]:
    found = extract_concepts(" \n ".join(t for t in texts if t))
    return sorted(c for c in found.keys() if not c.startswith("need:"))


def _incident_mentions(title: str, summary: str, response: str) -> list[str]:
    """Concepts of an incident's text: the attack from its title and summary, the aftermath from the rest.

    What the city did afterwards ("worked with Muslim communities to prevent backlash") never says what the
    attacker did, so the response contributes themes and aftermath only.
    """
    attack = _mentions(title, summary)
    after = [c for c in _mentions(response) if c.split(":", 1)[0] in ("aftermath", "theme")]
    return sorted(set(attack) | set(after))


def incident_doc_id(incident: dict, city: dict) -> str:
    """Return the index id of an incident ("incident:<id>"), the same for seeds and the database."""
    city_id = str(city.get("id") or city_slug(city["name"]))
    return f"incident:{incident.get('id') or city_id + '-' + city_slug(incident['title'])}"


def city_languages(city: dict) -> list[str]:
    """Return the languages a city's advisers can work in: the city's and its contacts'."""
    languages = set(city.get("languages") or ())
    for contact in city.get("contacts") or ():
        languages.update(contact.get("languages") or ())
    return sorted(languages)


def city_document(city: dict) -> dict:
    """Return the index document of a city's profile (expertise, languages, description)."""
    city_id = str(city.get("id") or city_slug(city["name"]))
    expertise = list(city.get("expertise") or ())
    languages = city_languages(city)
    body = " ".join(filter(None, [
        f"{city['name']} ({city.get('country', '')}).",
        ("Expertise: " + ", ".join(_label(k) for k in expertise) + ".") if expertise else "",
        city.get("description") or city.get("expertise_other") or "",
    ]))
    return {
        "doc_id": f"city:{city_id}", "kind": "city", "city_id": city_id, "city_name": city["name"],
        "title": city["name"], "body": body,
        "facets": [f"theme:{k}" for k in expertise], "themes": expertise,
        "mentions": _mentions(city.get("description") or ""),
        "languages": languages, "city_status": city.get("status", "active"),
        "region": city.get("region"), "country": city.get("country"),
        "visibility": city.get("visibility", "network"), "stamp": city.get("stamp"),
    }


def incident_document(incident: dict, city: dict) -> dict:
    """Return the index document of an incident a city lived through."""
    city_id = str(city.get("id") or city_slug(city["name"]))
    incident_id = incident.get("id") or f"{city_id}-{city_slug(incident['title'])}"
    facets = _facet_terms(incident.get("facets"))
    occurred = str(incident.get("occurred_on") or "")
    body = " ".join(filter(None, [incident.get("summary"), incident.get("scale"), incident.get("response")]))
    return {
        "doc_id": f"incident:{incident_id}", "kind": "incident", "city_id": city_id,
        "city_name": city["name"], "title": incident.get("title", ""), "body": body,
        "facets": facets,
        "mentions": _incident_mentions(incident.get("title", ""), incident.get("summary") or "",
                                       " ".join(filter(None, [incident.get("scale"), incident.get("response")]))),
        "languages": city_languages(city), "city_status": city.get("status", "active"),
        "region": city.get("region"), "country": city.get("country"), "year": occurred[:4] or None,
        "visibility": incident.get("visibility", "network"),
        "allowed_city_ids": incident.get("allowed_city_ids"), "stamp": incident.get("stamp"),
        "lived": True,
    }


def lesson_document(lesson: dict, city: dict, incident: dict | None = None) -> dict:
    """Return the index document of a lesson; a lesson drawn from an incident inherits its facets."""
    city_id = str(city.get("id") or city_slug(city["name"]))
    lesson_id = lesson.get("id") or f"{city_id}-{city_slug(lesson['title'])}"
    themes = list(lesson.get("themes") or ())
    facets = [f"theme:{k}" for k in themes]
    if incident:
        facets += _facet_terms(incident.get("facets"))
    return {
        "doc_id": f"lesson:{lesson_id}", "kind": "lesson", "city_id": city_id, "city_name": city["name"],
        "title": lesson.get("title", ""), "body": lesson.get("body", ""),
        "facets": facets, "themes": themes, "mentions": _mentions(lesson.get("title", ""), lesson.get("body", "")),
        "languages": city_languages(city), "city_status": city.get("status", "active"),
        "region": city.get("region"), "country": city.get("country"), "phase": lesson.get("phase"),
        "year": str((incident or {}).get("occurred_on") or "")[:4] or None,
        "visibility": lesson.get("visibility", "network"),
        "allowed_city_ids": lesson.get("allowed_city_ids"), "stamp": lesson.get("stamp"),
        "lived": bool(incident), "incident_title": (incident or {}).get("title"),
        "incident_doc_id": incident_doc_id(incident, city) if incident else None,
    }


def contact_document(contact: dict, city: dict) -> dict:
    """Return the index document of a contact person (confidential: staff visibility by default)."""
    city_id = str(city.get("id") or city_slug(city["name"]))
    contact_id = contact.get("id") or f"{city_id}-{city_slug(contact['name'])}"
    body = " ".join(filter(None, [contact.get("position"), contact.get("organisation"),
                                  " ".join(contact.get("tags") or ())]))
    return {
        "doc_id": f"contact:{contact_id}", "kind": "contact", "city_id": city_id, "city_name": city["name"],
        "title": contact.get("name", ""), "body": body, "languages": contact.get("languages") or [],
        "city_status": city.get("status", "active"), "region": city.get("region"),
        "country": city.get("country"), "visibility": contact.get("visibility", "staff"),
        "stamp": contact.get("stamp"),
    }


def city_slug(name: str) -> str:
    """Return a stable ASCII identifier for a name ("Nice" -> "nice")."""
    return re.sub(r"[^a-z0-9]+", "-", T.fold(name)).strip("-") or "x"


def documents_from_seeds(cities: list[dict], lessons: list[dict] = (),
                         with_contacts: bool = False) -> Iterator[dict]:
    """Yield the documents of the demo seed format (cities.json with incidents, lessons.json)."""
    by_name = {c["name"]: c for c in cities}
    for city in cities:
        yield city_document(city)
        for incident in city.get("incidents") or ():
            yield incident_document(incident, city)
        if with_contacts:
            for contact in city.get("contacts") or ():
                yield contact_document(contact, city)
    for lesson in lessons:
        city = by_name.get(lesson.get("city"))
        if city is None:
            continue
        incident = next((i for i in city.get("incidents") or () if i.get("title") == lesson.get("incident")),
                        None)
        yield lesson_document(lesson, city, incident)


# -- ranking ---------------------------------------------------------------------------------------

def _needs(found: set[str], explicit: Iterable[str] | None) -> list[str]:
    codes = set()
    for need in list(found) + list(explicit or ()):
        need = str(need)
        codes.add(need[5:] if need.startswith("lang_") else need)
    return sorted(codes)


def _query_concepts(description: str, facets: dict | None, lang: str | None):
    found = extract_concepts(description, lang)
    wanted: dict[str, set[str]] = defaultdict(set)
    for facet, keys in found.items():
        wanted[facet].update(keys)
    for facet, keys in (facets or {}).items():
        wanted[facet].update(keys or ())
    return found, wanted


def _text_clauses(index, description: str, lang: str) -> list[tuple[str, str, float]]:
    """Weighted free-text clauses: English stems on body/title, surface words on the multilingual field.

    Only the rarest words are kept (``MAX_TEXT_TERMS``): a long description must not turn into a
    slow query, and words found everywhere decide nothing.
    """
    candidates = []
    domain_en = T.domain_stopwords("en")
    if lang == "en":
        for term in dict.fromkeys(index.analyse("body", description)):
            if term not in domain_en and len(term) > 1 and not term.isdigit():
                candidates.append(("body", term, 1.0))
    stop = T.stopwords(lang)
    domain = T.domain_stopwords(lang)
    for word in dict.fromkeys(T.words(description[:5000])):
        folded = T.fold(word)
        if len(folded) < 3 or folded.isdigit() or folded in stop or T.stem(word, lang) in domain:
            continue
        candidates.append(("text", folded, 0.5 if lang == "en" else 1.0))
    if not candidates:
        return []
    total = max(1, index.doc_count())
    frequencies = {}
    for fieldname in ("body", "text"):
        terms = [t for f, t, _ in candidates if f == fieldname]
        frequencies.update({(fieldname, t): df for t, df in index.doc_frequencies(fieldname, terms).items()})
    present = [c for c in candidates if 0 < frequencies[(c[0], c[1])] < total * 0.5]
    present.sort(key=lambda c: frequencies[(c[0], c[1])])
    clauses = []
    for fieldname, term, weight in present[:MAX_TEXT_TERMS]:
        clauses.append((fieldname, term, weight, True, "text"))
        if fieldname == "body":
            clauses.append(("title", term, 0.6, True, "text"))
    return clauses


def _idf_factors(index, concepts) -> dict[str, float]:
    """Return a factor in [0.6, 1] per concept: rare concepts say more than ones every city shares."""
    keys = [f"{facet}:{key}" for facet, key in concepts]
    frequencies = index.doc_frequencies("facets", [k for k in keys if k.split(":", 1)[0] not in TEXT_ONLY_FACETS])
    frequencies.update(index.doc_frequencies("mentions", [k for k in keys if k.split(":", 1)[0] in TEXT_ONLY_FACETS]))
    total = max(2, index.doc_count())
    top = math.log(total)
    return {k: 0.6 + 0.4 * min(1.0, max(0.0, math.log(total / (1 + frequencies.get(k, 0))) / top))
            for k in keys}


def find_peers(index, description: str, facets: dict | None = None, needs: Iterable[str] | None = None,
               asking_city_id=None, limit: int = 10, lang: str | None = None,
               visibility: Iterable[str] = ("public", "network"), viewer_city_id=None,
               candidates: int = 150, snippets: bool = True) -> list[PeerMatch]:
    """Return member cities ranked as peer advisers for an attack described in any language.

    ``facets`` ({facet: [keys]}) and ``needs`` (e.g. ["lang_fr"]) add to what the description says.
    ``snippets=False`` leaves every matched document's snippet empty (callers that never show one).
    The asking city and cities that are not active members are never returned.
    """
    description = str(description or "")[:20000]
    lang = lang if lang in T.LANGUAGES else T.detect_language(description)
    found, wanted = _query_concepts(description, facets, lang)
    need_codes = _needs({f"lang_{k[5:]}" for k in wanted.pop("need", set())}, needs)
    concepts = [(facet, key) for facet, keys in wanted.items() if facet in FACET_WEIGHTS for key in keys]

    asked_needs = {f"{facet}:{key}" for facet, key in concepts if facet in NEED_FACETS}
    need_led = bool(asked_needs) and not wanted.get("attack")
    weights = dict(FACET_WEIGHTS, **NEED_LED_WEIGHTS) if need_led else FACET_WEIGHTS
    factors = _idf_factors(index, concepts) if concepts else {}
    near = _neighbours(factors)  # scored on the documents found, not searched for (cheap)
    clauses = []
    for facet, key in concepts:
        weight = weights[facet] * factors[f"{facet}:{key}"]
        if facet in TEXT_ONLY_FACETS:
            clauses.append(("mentions", f"{facet}:{key}", weight, False))
            continue
        clauses.append(("facets", f"{facet}:{key}", weight, False))
        if facet in CORE_FACETS:  # themes and aftermath are recorded explicitly where they matter
            clauses.append(("mentions", f"{facet}:{key}", weight * MENTION_FACTOR, False))
        elif need_led:  # ... but a lesson that tells of the need in its own words has lived it too
            clauses.append(("mentions", f"{facet}:{key}", weight * NEED_MENTION_FACTOR, False))
    text_clauses = _text_clauses(index, description, lang)
    clauses += text_clauses
    if not clauses and not need_codes and not T.words(description):
        return []
    filters = {"kinds": list(PEER_KINDS), "city_status": "active",
               "visibility": list(visibility), "viewer_city_id": viewer_city_id}
    if asking_city_id is not None:
        filters["exclude_city_ids"] = [str(asking_city_id)]
    max_postings = max(1000, index.doc_count() // 50)
    hits = index.score_terms(clauses, filters, limit=candidates, max_postings=max_postings) if clauses else []
    # The free-text channel on its own: BM25 weights of the description's words over every passage.
    text_hits = index.score_terms(text_clauses, filters, limit=candidates, max_postings=max_postings) \
        if text_clauses and hits else []
    understood = bool(hits) or bool(need_codes) or not T.words(description)
    if not understood:
        # A language the network has no words for: never an empty answer, but cities with lived
        # experience of any attack, saying plainly that the description was not understood.
        lived_clauses = [("facets", concept, 1.0, False) for concept in load_vocabulary().keys("attack")]
        hits = [h for h in index.score_terms(lived_clauses, dict(filters, kinds=["incident"]), limit=candidates)]
        factors, near = {}, {}
    text_of = {h.doc_id: h.parts.get("text", 0.0) for h in hits}
    text_of.update({h.doc_id: h.score for h in text_hits})
    best_text = max(text_of.values(), default=0.0) or 1.0

    per_city: dict[str, list[tuple[float, dict, list[str]]]] = defaultdict(list)
    seen = set()
    for hit in hits + text_hits:
        doc = hit.fields
        if doc["doc_id"] in seen:
            continue
        seen.add(doc["doc_id"])
        score, shared = _doc_score(doc, factors, near, weights, need_led)
        score += TEXT_WEIGHT * text_of.get(doc["doc_id"], 0.0) / best_text
        per_city[doc["city_id"]].append((score, doc, shared))

    speakers: dict[str, set[str]] = {}
    if need_codes:  # a city meeting a hard need is a candidate even when nothing else matched
        speakers = _cities_speaking(index, need_codes, filters, candidates)
        for city in speakers:
            per_city.setdefault(city, [])

    concept_scores, text_scores, kept = {}, {}, {}
    for city_id, docs in per_city.items():
        if str(city_id) == str(asking_city_id):
            continue
        docs.sort(key=lambda d: -d[0])
        docs = _one_incident(docs)
        kept[city_id] = docs
        best = docs[0][0] if docs else 0.0
        support = sum(d[0] for d in docs[1:1 + SUPPORT_DOCS])
        concept_scores[city_id] = best + SUPPORT_FACTOR * support
        texts = sorted((text_of.get(d[1]["doc_id"], 0.0) for d in docs), reverse=True)
        if texts and texts[0] > 0:
            text_scores[city_id] = texts[0] + SUPPORT_FACTOR * sum(texts[1:1 + SUPPORT_DOCS])
    fused = _fuse([concept_scores, text_scores], [1.0, RRF_TEXT_WEIGHT["need" if need_led else "attack"]])
    ranked = []
    for city_id, docs in kept.items():
        languages = speakers.get(city_id) or (set(docs[0][1].get("languages") or ()) if docs else set())
        ranked.append((-sum(c in languages for c in need_codes), -fused.get(city_id, 0.0), city_id, docs))

    # Hard needs first, then the score, then the city id: one total order, so the first N cities are the
    # same whatever the limit (the cities returned keep it; statuses come from their profiles).
    ranked.sort(key=lambda r: (r[0], r[1], str(r[2])))
    matches = []
    for _, negative_score, city_id, docs in ranked:
        if len(matches) >= limit:
            break
        score = -negative_score
        profile = index.get(f"city:{city_id}") or {}
        if profile and profile.get("city_status", "active") != "active":
            continue
        languages = set(profile.get("languages") or ()) if profile else \
            set(docs[0][1].get("languages") or ()) if docs else set()
        met = [c for c in need_codes if c in (languages or ())]
        missed = [c for c in need_codes if c not in (languages or ())]
        city_name = profile.get("title") or (docs[0][1].get("city_name") if docs else "") or str(city_id)
        matches.append(_build_match(city_id, city_name, score, docs, met, missed, description, lang,
                                    asked_needs if need_led else (), snippets=SNIPPETS if snippets else 0))
    if not understood:
        for match in matches:
            doc = index.get(match.matched_docs[0].doc_id) if match.matched_docs else None
            if doc:
                sentence, named = _incident_sentence(doc, match.city_name)
                match.reasons = [_l("Description not understood in this language; lived experience: %(sentence)s",
                                    sentence=sentence)]
                match.grounds = [{"reason": match.reasons[0], "facets": {c: doc["doc_id"] for c in named}}]
    return matches


def _fuse(channels: list[dict[str, float]], channel_weights: list[float]) -> dict[str, float]:
    """Reciprocal rank fusion: each channel ranks the cities by its score; a city earns
    weight / (RRF_K + rank) in each channel that found it (a score of 0 finds nothing)."""
    fused: dict[str, float] = defaultdict(float)
    for scores, weight in zip(channels, channel_weights, strict=True):
        if not weight:
            continue
        ordered = sorted((c for c, v in scores.items() if v > 0), key=lambda c: (-scores[c], str(c)))
        for rank, city_id in enumerate(ordered, start=1):
            fused[city_id] += weight / (RRF_K + rank)
    # cities found by neither channel (a hard need only) keep a tiny score, in their concept order
    for city_id in channels[0]:
        fused.setdefault(city_id, 0.0)
    return fused


def _neighbours(factors: dict[str, float]) -> dict[str, float]:
    """Return the neighbouring concepts of the query's (not asked for themselves) with their factors."""
    near: dict[str, float] = {}
    for concept, factor in factors.items():
        for other, similarity in NEIGHBOURS.get(concept, {}).items():
            if other not in factors:
                near[other] = max(near.get(other, 0.0), factor * similarity)
    return near


def _doc_score(doc: dict, wanted: dict[str, float], near: dict[str, float] | None = None,
               weights: dict[str, float] = FACET_WEIGHTS, need_led: bool = False) -> tuple[float, list[str]]:
    """Score one document on the concepts it shares with the query; return (score, shared keys).

    Neighbouring concepts (``near``) add part of their weight, for lived incidents, and are not "shared".
    In a need-led query (``need_led``) a need a lesson or incident tells of in its text counts nearly in
    full; it is not "shared" (its themes are), but a need reason may cite the text that states it.
    """
    explicit = set(doc.get("facets") or ())
    mentioned = set(doc.get("mentions") or ())
    lived = _is_lived(doc)
    parts: dict[str, list[float]] = defaultdict(list)
    shared = []
    core = set()
    for concept, factor in wanted.items():
        facet = concept.split(":", 1)[0]
        weight = weights.get(facet, 0.0) * factor
        # Only what the record states is "shared" (and may be named in a reason); a concept its text merely
        # mentions adds a little to the score. A detail of the setting is read from an incident's own account.
        if concept in explicit:
            part, grounded = weight, True
        elif concept in mentioned:
            if facet in TEXT_ONLY_FACETS:
                if doc.get("kind") != "incident":
                    continue
                part, grounded = weight, True
            elif need_led and facet in NEED_FACETS:
                part, grounded = weight * NEED_MENTION_FACTOR, False
            else:
                part, grounded = weight * MENTION_FACTOR, False
        else:
            continue
        if facet in TEXT_ONLY_FACETS:
            if not lived:
                part *= NOT_LIVED_FACTOR
        elif facet in CORE_FACETS:
            if not lived:
                part *= NOT_LIVED_FACTOR
            else:
                core.add(facet)
        parts[facet].append(part)
        if grounded:
            shared.append(concept)
    # A facet is one dimension of similarity: its best value counts, further values only a little.
    score = 0.0
    for facet, values in parts.items():
        best = max(values)
        score += best + (EXTRA_VALUE * (sum(values) - best) if facet in CORE_FACETS else sum(values) - best)
    if len(core) > 1:
        score *= 1.0 + SYNERGY * (len(core) - 1)
    if near and lived:
        for concept in explicit:
            if concept in near:
                score += FACET_WEIGHTS[concept.split(":", 1)[0]] * near[concept]
    return score, sorted(shared)


def _is_lived(doc: dict) -> bool:
    return doc.get("kind") == "incident" or bool((doc.get("meta") or {}).get("lived"))


def _cities_speaking(index, codes: list[str], filters: dict, limit: int) -> dict[str, set[str]]:
    """Return {city_id: languages} for cities whose profile lists the most of the needed languages."""
    city_filters = dict(filters, kinds=["city"])
    clauses = [("languages", code, 1.0, False) for code in codes]
    return {h.fields["city_id"]: set(h.fields.get("languages") or ())
            for h in index.score_terms(clauses, city_filters, limit=limit)}


def _incident_of(doc: dict) -> str | None:
    """Return the index id of the incident a document is about (itself, or a lesson's incident), or None."""
    if doc.get("kind") == "incident":
        return doc.get("doc_id")
    meta = doc.get("meta") or {}
    return meta.get("incident_doc_id") or doc.get("incident_doc_id")


def _one_incident(docs: list) -> list:
    """Keep the documents of a city's best incident (and those about no incident): it ranks on that one."""
    key = next((_incident_of(d[1]) for d in docs if _incident_of(d[1])), None)
    return [d for d in docs if _incident_of(d[1]) in (key, None)]


def _build_match(city_id, city_name, score, docs, met, missed, description, lang, asked_needs=(), snippets=SNIPPETS):
    """Build a city's match; every reason names only facets of the record it cites (``PeerMatch.grounds``).

    ``asked_needs`` (a need-led query's aftermath and theme concepts) adds a reason citing the lesson
    (or incident) whose own text tells of those needs, and that record's passage comes first.
    """
    vocab = load_vocabulary()
    grounds: list[dict] = []
    reasons: list[str] = []

    def say(text, cited):
        reasons.append(text)
        grounds.append({"reason": text, "facets": dict(cited)})

    for code in met:
        say(_l("Speaks %(language)s", language=_language(code)), {})
    # The one incident the reasons speak of: the best-scoring lived document that shares the attack.
    lived = [d for d in docs if _is_lived(d[1])
             and any(c.split(":", 1)[0] in CORE_FACETS + ("aftermath",) for c in d[2])]
    key = _incident_of(lived[0][1]) if lived else None
    same = [d for d in docs if key and _incident_of(d[1]) == key]
    cited = next((d for d in same if d[1].get("kind") == "incident"), same[0] if same else None)
    shared_facets: dict[str, list[str]] = {}
    if cited is not None:
        _, doc, shared = cited
        sentence, named = _incident_sentence(doc, city_name, shared)
        say(sentence, {c: doc["doc_id"] for c in named})
        core: dict[str, str] = {}
        for _, other, other_shared in [cited] + [d for d in same if d is not cited]:
            for concept in other_shared:
                if concept.split(":", 1)[0] in CORE_FACETS + ("aftermath",):
                    core.setdefault(concept, other["doc_id"])
        order = CORE_FACETS + ("aftermath",)
        ordered = sorted(core, key=lambda c: (order.index(c.split(":", 1)[0]), c))
        if ordered:
            shares = [_l("%(facet)s: %(value)s", facet=FACET_WORDS.get(c.split(":", 1)[0], c.split(":", 1)[0]),
                         value=Term(c, vocab.label(c), lowered=True)) for c in ordered]
            say(_l("Shares: %(shared)s", shared=Joined(shares, "; ")), {c: core[c] for c in ordered})
        settings = {c: d["doc_id"] for _, d, sh in same if d.get("kind") == "incident"
                    for c in sh if c.split(":", 1)[0] in TEXT_ONLY_FACETS}
        if settings:
            say(_l("Same setting: %(settings)s", settings=Joined([Term(c, vocab.label(c)) for c in sorted(settings)],
                                                                 ", ")), settings)
        for concept in list(core) + list(settings):
            facet, value = concept.split(":", 1)
            shared_facets.setdefault(facet, []).append(value)
    themes: dict[str, str] = {}
    for _, doc, shared in docs:
        for concept in shared:
            if concept.startswith("theme:") and doc.get("kind") in ("lesson", "city"):
                themes.setdefault(concept, doc["doc_id"])
    lessons = [d for d in docs if d[1].get("kind") == "lesson"]
    if themes:
        from_lessons = {c: d for c, d in themes.items() if d.startswith("lesson:")}
        chosen = from_lessons or themes
        picked = sorted(chosen)[:5]
        named = Joined([Term(c, vocab.label(c)) for c in picked], ", ")
        say(_l("Lessons on: %(themes)s", themes=named) if from_lessons else _l("Expertise in: %(themes)s", themes=named),
            {c: chosen[c] for c in picked})
        for concept in picked:
            shared_facets.setdefault("theme", []).append(concept.split(":", 1)[1])
    elif lessons and cited is None and not asked_needs:
        say(_l("Lesson: %(title)s", title=lessons[0][1].get("title", "")), {})
    need_doc = None
    if asked_needs:
        best_told: list[str] = []
        for entry in sorted(docs, key=lambda d: (d[1].get("kind") != "lesson", -d[0])):
            doc = entry[1]
            stated = set(doc.get("mentions") or ()) | set(doc.get("facets") or ())
            told = sorted(c for c in asked_needs if c in stated)
            if len(told) > len(best_told):
                need_doc, best_told = entry, told
        if need_doc is not None:
            terms = {}  # one word per label, as the sentence reads
            for c in best_told:
                term = Term(c, vocab.label(c), lowered=True)
                terms.setdefault(term.english(), term)
            told_of, title = Joined(terms.values(), ", "), need_doc[1].get("title", "")
            # Grounded in the record's own words, not its recorded facets: "told" (concept -> doc id).
            say(_l("Lesson “%(title)s” tells of: %(needs)s", title=title, needs=told_of)
                if need_doc[1].get("kind") == "lesson"
                else _l("Account “%(title)s” tells of: %(needs)s", title=title, needs=told_of), {})
            grounds[-1]["told"] = {c: need_doc[1]["doc_id"] for c in best_told}
    if len(reasons) == len(met) and docs:
        say(_l("Similar wording: %(title)s", title=docs[0][1].get("title", "")), {})
    if missed:
        say(_l("Does not list %(languages)s among its languages",
               languages=Joined([_language(c) for c in missed], ", ")), {})
    # The cited record comes first, so the highlighted passage is the one the reasons were read from.
    cited_ids = {doc_id for ground in grounds for doc_id in [*ground["facets"].values(), *ground.get("told", {}).values()]}
    first = cited if cited is not None else next((d for d in docs if d[1]["doc_id"] in cited_ids), None)
    if need_doc is not None and (cited is None or not any(c.split(":", 1)[0] == "attack" for c in cited[2])):
        first = need_doc  # the passage that tells of the need asked about
    ordered_docs = ([first] if first is not None else []) + [d for d in docs if d is not first]
    matched = []
    for position, (doc_score, doc, shared) in enumerate(ordered_docs[:MATCHED_DOCS]):
        told = need_doc is not None and doc is need_doc[1]
        marked = list(shared) + ([c for c in asked_needs if c not in shared] if told else [])
        snippet = _snippet(doc.get("body", ""), marked, description, lang) if position < snippets else ""
        matched.append(MatchedDoc(doc["doc_id"], doc.get("kind", ""), doc.get("title", ""),
                                  round(doc_score, 3), snippet, shared, str(doc.get("year") or "")))
    return PeerMatch(city_id=str(city_id), score=round(score, 4), reasons=reasons, matched_docs=matched,
                     shared_facets=shared_facets, shared_languages=list(met), city_name=city_name,
                     needs_met=list(met), needs_missed=list(missed), grounds=grounds)


def _language(code: str) -> Language:
    return Language(code, LANGUAGE_LABELS.get(code, code))


def _incident_sentence(doc: dict, city_name: str, shared: Iterable[str] = ()) -> tuple[Reason, list[str]]:
    """Say what happened in a few words, naming first what the query shares with it; return (text, named)."""
    explicit = list(doc.get("facets") or ())
    shared = set(shared)

    def keys(facet):
        found = [c for c in explicit if c.startswith(f"{facet}:")]
        if any(c in shared for c in found):  # only what matched: "Shooting at an LGBTQ+ venue"
            found = [c for c in found if c in shared]
        return [c.split(":", 1)[1] for c in found]

    attack, target = keys("attack"), keys("target")
    vocab = load_vocabulary()
    what = Capitalised(Joined([Term(f"attack:{a}", vocab.label(f"attack:{a}"), lowered=True) for a in attack], " and ")) \
        if attack else (doc["title"] if "title" in doc else _l("Incident"))
    named = [f"attack:{a}" for a in attack] + ([f"target:{target[0]}"] if target else [])
    year = str(doc["year"]) if doc.get("year") else ""
    if target:
        where = TARGET_PHRASES.get(target[0]) or _l("on %(target)s", target=_label(target[0]))
        if year:
            return _l("%(what)s %(where)s (%(city)s, %(year)s)", what=what, where=where, city=city_name, year=year), named
        return _l("%(what)s %(where)s (%(city)s)", what=what, where=where, city=city_name), named
    if year:
        return _l("%(what)s (%(city)s, %(year)s)", what=what, city=city_name, year=year), named
    return _l("%(what)s (%(city)s)", what=what, city=city_name), named


def _snippet(body: str, shared: list[str], description: str, lang: str, width: int = 240) -> str:
    """Return an HTML snippet of body with the words behind shared concepts and query words marked."""
    if not body:
        return ""
    body = body[:SNIPPET_SCAN_CHARS]
    doc_lang = T.detect_language(body[:600])
    spans = [(s, e) for s, e, _ in load_vocabulary().find(body, shared, (doc_lang, "en"))]
    query_stems = set(T.content_words(description, lang)) | set(T.content_words(description, "en"))
    for word, start, end in T.tokens(body):
        if len(word) > 2 and (T.stem(word, "en") in query_stems or T.stem(word, lang) in query_stems):
            spans.append((start, end))
    spans = sorted(set(spans))
    if not spans:
        cut = body[:width]
        return html.escape(cut) + ("…" if len(body) > width else "")
    # the window of `width` characters holding the most marked words (two pointers)
    best_start, best_count, j = spans[0][0], 0, 0
    for i, (s, _) in enumerate(spans):
        j = max(j, i)
        while j < len(spans) and spans[j][0] < s + width:
            j += 1
        if j - i > best_count:
            best_start, best_count = s, j - i
    start = max(0, body.rfind(" ", 0, max(0, best_start - 40)) + 1)
    end = min(len(body), start + width)
    out, pos = [], start
    for s, e in spans:
        if s < pos or e > end:
            continue
        out.append(html.escape(body[pos:s]))
        out.append(f"<mark>{html.escape(body[s:e])}</mark>")
        pos = e
    out.append(html.escape(body[pos:end]))
    return ("…" if start > 0 else "") + "".join(out) + ("…" if end < len(body) else "")
