"""The multilingual concept vocabulary and concept extraction from free text.

seeds/concepts.json holds what is the same in every language (facet, key, label, implied concepts);
seeds/concepts/<code>.json holds one language: its words for each concept, markers and stopwords.

A concept is a facet value (``attack:vehicle_ramming``), a theme (``theme:victim_support``), a hard
need (``need:lang_fr``), a detail of the setting finer than the facets (``detail:christmas_market``) or
a response need finer than the themes (``topic:victims_fund``, read from texts only). Terms are matched on stemmed words, so "camions", "Lastwagen" and "lorries"
all find their concept. Text is matched in its detected language, in English (people mix) and, for
long and unambiguous terms only, in the other languages too.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from crm.peers import text as T
from crm.resources import seeds_dir

VOCABULARY_NAME = "vocabulary.json"  # beside concepts.json: display labels of facet values and themes
FACETS = ("attack", "target", "motive", "aftermath", "theme", "need", "detail", "topic")

# Germanic compounds: "Moscheeanschlag", "skoleskyting". A term stem found at the start of a longer
# word counts when the rest of the word is one of these generic heads; at the end it always counts
# if the term is long enough to be unambiguous.
_COMPOUND_LANGS = ("de", "no", "nl", "sv", "da")
_COMPOUND_HEADS = {
    "de": ("anschlag", "anschlage", "angriff", "angriffe", "attack", "attacke", "attentat", "terror",
           "tat", "gemeind", "gemeinde", "besuch", "besucher", "opfer", "brand"),
    "no": ("angrep", "angrepet", "angrepen", "angrepen", "attentat", "attentatet", "terror", "terroren",
           "drap", "drapet", "ofr", "offer", "besok", "menighet", "brann"),
    "nl": ("aanslag", "aanval", "aanvall", "terreur", "slachtoffer", "brand"),
    "sv": ("attack", "attacken", "attentat", "attentatet", "dad", "dadet", "terror", "offer", "brand"),
    "da": ("angreb", "angrebet", "attentat", "attentatet", "terror", "offer", "brand"),
}
_LINKS = ("", "s", "e", "n", "en", "es", "-")
_MIN_COMPOUND_STEM = 5


@dataclass
class ConceptMatch:
    """Concepts found in a text: {facet: {key}} plus the words that matched each concept."""

    facets: dict[str, set[str]] = field(default_factory=dict)
    words: dict[str, list[str]] = field(default_factory=dict)  # "attack:knife" -> ["poignardé"]
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, "facet:key")
    language: str = T.DEFAULT_LANGUAGE

    def keys(self) -> set[str]:
        """Return the matched concepts as "facet:key" strings."""
        return {f"{facet}:{key}" for facet, keys in self.facets.items() for key in keys}

    def get(self, facet: str) -> set[str]:
        """Return the keys found for one facet."""
        return self.facets.get(facet, set())

    def __getitem__(self, facet):
        return self.facets.get(facet, set())

    def __contains__(self, facet):
        return facet in self.facets

    def items(self):
        """Iterate (facet, keys) pairs like a dict."""
        return self.facets.items()


@dataclass
class _Term:
    concept: str  # "facet:key"
    stems: tuple[str, ...]
    surface: str
    lang: str


class Vocabulary:
    """The concepts of seeds/concepts.json with the terms of every language file, indexed by stem for matching."""

    def __init__(self, data: dict, extra: dict[str, dict] | None = None):
        """Index ``data`` (concepts.json) and ``extra`` ({language: {"facet:key": [terms]}}, one file each).

        An entry of ``data`` may carry terms of its own ({"terms": {lang: [...]}}); a file's terms add to them.
        """
        extra = T.FILES if extra is None else extra
        self.languages = tuple(dict.fromkeys(tuple(data.get("languages") or T.LANGUAGES) + tuple(extra)))
        self.extra_terms: dict[str, dict[str, list[str]]] = {
            lang: (meta.get("terms") if "terms" in meta else meta) for lang, meta in extra.items()}
        self.concepts: dict[str, dict] = {}
        self.implies: dict[str, tuple[str, ...]] = {}
        # lang -> first folded word -> terms matched word for word (used outside the text's language)
        self._exact: dict[str, dict[str, list[_Term]]] = {lang: {} for lang in self.languages}
        # lang -> the (concept, term, folded words) to stem, in the order the concepts are listed
        self._surfaces: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {lang: [] for lang in self.languages}
        # Stemming every term of every language is most of the cost of loading the vocabulary, and a text
        # needs the stems of only a few languages: each language's tables are built on first use.
        # lang -> first stem -> terms starting with it (longest first)
        self._by_first: dict[str, dict[str, list[_Term]]] = _PerLanguage(self._stem_language)
        # lang -> one-word stem -> its concepts (the parts of Germanic compounds)
        self._single_stems: dict[str, dict[str, set[str]]] = _PerLanguage(self._stem_language)
        for entry in data.get("concepts", []):
            concept = f"{entry['facet']}:{entry['key']}"
            self.implies[concept] = tuple(entry.get("implies") or ())
            all_terms = dict(entry.get("terms") or {})
            for lang, by_concept in self.extra_terms.items():
                if by_concept.get(concept):
                    all_terms[lang] = list(all_terms.get(lang, ())) + list(by_concept[concept])
            self.concepts[concept] = dict(entry, terms=all_terms)
            for lang, terms in all_terms.items():
                if lang not in self._exact:
                    continue
                for surface in terms:
                    exact = tuple(T.fold(w) for w in T.words(surface))
                    if not exact:
                        continue
                    self._exact[lang].setdefault(exact[0], []).append(_Term(concept, exact, surface, lang))
                    self._surfaces[lang].append((concept, surface, exact))
        self.english_terms = self._english_terms()
        self.labels: dict[str, str] = {}

    def _stem_language(self, lang: str) -> None:
        """Index the terms of ``lang`` by stem (``_by_first`` and ``_single_stems``)."""
        if lang not in self._surfaces:
            raise KeyError(lang)
        by_first: dict[str, list[_Term]] = {}
        singles: dict[str, set[str]] = {}
        stop_stems = _stopword_stems(lang)
        for concept, surface, exact in self._surfaces[lang]:
            for stems in _term_stems(surface, lang):
                if all(st in stop_stems for st in stems):
                    # "queer" stems to Spanish "que": match such a word only as typed
                    stems = exact
                term = _Term(concept, stems, surface, lang)
                by_first.setdefault(stems[0], []).append(term)
                if len(stems) == 1 and lang in _COMPOUND_LANGS and len(stems[0]) >= 4:
                    singles.setdefault(stems[0], set()).add(concept)
        for terms in by_first.values():
            terms.sort(key=lambda t: -len(t.stems))
        T.save_stems(lang)
        dict.__setitem__(self._by_first, lang, by_first)
        dict.__setitem__(self._single_stems, lang, singles)

    def _english_terms(self) -> dict[str, list[str]]:
        out = {}
        for concept, entry in self.concepts.items():
            out[concept] = list((entry.get("terms") or {}).get("en", []))
        return out

    def keys(self, facet: str | None = None) -> list[str]:
        """Return all concept keys ("facet:key"), optionally of one facet."""
        return [c for c in self.concepts if facet is None or c.split(":", 1)[0] == facet]

    def label(self, concept: str) -> str:
        """Return the display label of a concept: "attack:vehicle_ramming" -> "Vehicle ramming"."""
        if concept in self.labels:
            return self.labels[concept]
        entry = self.concepts.get(concept)
        if entry and entry.get("label"):
            return entry["label"]
        return concept.split(":", 1)[-1].replace("_", " ").capitalize()

    def extract(self, text: str, lang: str | None = None) -> ConceptMatch:
        """Return the concepts named in text (any of the vocabulary's languages)."""
        text = blank_police_response(str(text or "")[:20000])
        detected = lang if lang in self.languages else T.detect_language(text)
        result = ConceptMatch(language=detected)
        toks = T.tokens(text)
        if not toks:
            return result
        own_stop = T.stopwords(detected)
        order = [detected] + [lg for lg in ("en",) if lg != detected]
        order += [lg for lg in self.languages if lg not in order]
        folded = [T.fold(word) for word, _, _ in toks]
        for lg in order:
            primary = lg in (detected, "en")
            if primary:
                seq = [T.stems(word, lg) + (folded[i],) for i, (word, _, _) in enumerate(toks)]
                table = self._by_first[lg]
            else:
                # Other languages: word for word only, so that stems never collide across languages.
                seq = [(f,) for f in folded]
                table = self._exact[lg]
            for i in range(len(toks)):
                candidates = []
                for s in seq[i]:
                    candidates.extend(table.get(s, ()))
                for term in candidates:
                    n = len(term.stems)
                    if i + n > len(toks):
                        continue
                    if any(term.stems[j] not in seq[i + j] for j in range(1, n)):
                        continue
                    if n == 1 and lg != detected:
                        # A single word of another language must not be a function word here
                        # (French "car", Spanish "van") and, outside English, must be long.
                        if folded[i] in own_stop or (not primary and len(folded[i]) < 5):
                            continue
                    surface = toks[i][0] if n == 1 else text[toks[i][1]:toks[i + n - 1][2]]
                    self._add(result, term.concept, surface, toks[i][1], toks[i + n - 1][2])
            if lg in _COMPOUND_LANGS:
                stemmed = seq if primary else [T.stems(word, lg) for word, _, _ in toks]
                self._compounds(result, toks, stemmed, lg, primary)
        _drop_unasserted(result, text, toks)
        for concept in list(result.keys()):
            for implied in self.implies.get(concept, ()):
                facet, key = implied.split(":", 1)
                result.facets.setdefault(facet, set()).add(key)
        return result

    def find(self, text: str, concepts: Iterable[str], languages: Iterable[str]) -> list[tuple[int, int, str]]:
        """Return (start, end, concept) spans of the given concepts' terms in text (for highlighting)."""
        wanted = set(concepts)
        toks = T.tokens(text)
        spans = []
        if not wanted or not toks:
            return spans
        folded = [T.fold(word) for word, _, _ in toks]
        for lg in dict.fromkeys(lg for lg in languages if lg in self._surfaces):
            table = self._by_first[lg]
            seq = [T.stems(word, lg) + (folded[i],) for i, (word, _, _) in enumerate(toks)]
            for i in range(len(toks)):
                for s in seq[i]:
                    for term in table.get(s, ()):
                        if term.concept not in wanted:
                            continue
                        n = len(term.stems)
                        if i + n <= len(toks) and all(term.stems[j] in seq[i + j] for j in range(1, n)):
                            spans.append((toks[i][1], toks[i + n - 1][2], term.concept))
        return spans

    def _compounds(self, result, toks, seq, lg, primary) -> None:
        heads = _COMPOUND_HEADS.get(lg, ())
        singles = self._single_stems[lg]
        for i, (word, start, end) in enumerate(toks):
            folded = T.fold(word)
            if len(folded) < _MIN_COMPOUND_STEM + 3:
                continue
            found = set()
            # the term at the end of the word: "skoleskyting", "Schulschießerei"
            for form in {folded, *seq[i]}:
                for k in range(3, len(form) - _MIN_COMPOUND_STEM + 1):
                    tail = form[k:]
                    if tail in singles and len(tail) >= _MIN_COMPOUND_STEM and (primary or len(tail) >= 7):
                        found.update(singles[tail])
            # the term at the start, followed by a generic head: "Moscheeanschlag"
            for k in range(4, len(folded) - 2):
                head = folded[:k]
                if head not in singles:
                    continue
                rest = folded[k:]
                for link in _LINKS:
                    if rest.startswith(link):
                        tail = rest[len(link):]
                        if tail in heads or tail in singles or T.stem(tail, lg) in heads \
                                or T.stem(tail, lg) in singles:
                            found.update(singles[head])
                            break
            for concept in found:
                if word not in result.words.get(concept, ()):
                    self._add(result, concept, word, start, end)

    @staticmethod
    def _add(result: ConceptMatch, concept: str, surface: str, start: int, end: int) -> None:
        facet, key = concept.split(":", 1)
        result.facets.setdefault(facet, set()).add(key)
        words = result.words.setdefault(concept, [])
        if surface not in words:
            words.append(surface)
        result.spans.append((start, end, concept))


class _PerLanguage(dict):
    """A table per language, built (with its sibling table) by ``build(lang)`` when first looked up."""

    def __init__(self, build):
        super().__init__()
        self._build = build

    def __missing__(self, lang: str):
        self._build(lang)
        return dict.__getitem__(self, lang)


def _term_stems(surface: str, lang: str) -> list[tuple[str, ...]]:
    """Return the stem sequences of a term, with and without its accents, hyphens split."""
    words = T.words(surface)
    if not words:
        return []
    variants = {tuple(T.stem(w, lang) for w in words),
                tuple(T.stem(T.fold(w), lang) for w in words)}
    joined = "".join(words)
    if "-" in surface and len(words) > 1:  # "voiture-bélier" also typed "voiturebélier"
        variants.add((T.stem(joined, lang),))
    return sorted(variants)


@cache
def _stopword_stems(lang: str) -> frozenset:
    return frozenset(T.stem(w, lang) for w in T.stopwords(lang)) | T.stopwords(lang)


@lru_cache(maxsize=4)
def load_vocabulary(path: str | None = None) -> Vocabulary:
    """Load and index seeds/concepts.json once per process."""
    path = path or str(seeds_dir() / "concepts.json")
    with open(path, encoding="utf-8") as fh:
        vocabulary = Vocabulary(json.load(fh))
    try:
        with open(os.path.join(os.path.dirname(path), VOCABULARY_NAME), encoding="utf-8") as fh:
            shared = json.load(fh)
    except (OSError, ValueError):
        return vocabulary
    for facet, entries in (shared.get("facets") or {}).items():
        vocabulary.labels.update({f"{facet}:{e['key']}": e["label"] for e in entries if e.get("label")})
    vocabulary.labels.update({f"theme:{e['key']}": e["label"] for e in shared.get("themes") or ()
                              if e.get("label")})
    return vocabulary


# How the attack ended is not what it was: "the attacker was shot by police" describes no shooting attack.
_POLICE = (r"(?:the\s+|municipal\s+|local\s+|armed\s+|special\s+|an?\s+)*(?:police(?:\s+officers?)?|officers?|"
           r"security\s+forces|soldiers|special\s+forces|gendarmes)")
_POLICE_RESPONSE = re.compile("|".join([
    # English
    rf"\b(?:was|were|been|being|is|are)?\s*(?:fatally\s+)?shot(?:\s+dead)?(?:\s+and\s+(?:killed|arrested|wounded|"
    rf"detained|captured))?\s+by\s+{_POLICE}",
    rf"\b{_POLICE}\s+(?:shot|opened\s+fire|fired)\b(?:\s+(?:on|at)\s+(?:him|her|them|the\s+(?:attacker|suspect|"
    rf"gunman|assailant|perpetrator)))?",
    r"\bshot\s+(?:dead\s+)?(?:the\s+)?(?:attacker|suspect|assailant|perpetrator|terrorist)\b",
    # French
    r"\b(?:abattu|abattue|neutralisé|neutralisée|blessé|blessée|touché|touchée)s?(?:\s+par\s+balles?)?\s+par\s+"
    r"(?:la\s+police|les\s+policiers|des\s+policiers|les\s+forces\s+de\s+l'ordre|les\s+gendarmes|des\s+militaires)",
    r"\b(?:la\s+police|les\s+policiers|les\s+gendarmes)\s+(?:a|ont)\s+(?:ouvert\s+le\s+feu|tiré)",
    # German
    r"\bvon\s+(?:der\s+)?(?:Polizei|Polizisten|Beamten|Einsatzkräften|Spezialkräften)\s+"
    r"(?:erschossen|angeschossen|niedergeschossen|getötet)",
    r"\b(?:die\s+Polizei|Polizisten|Beamte)\s+(?:schoss|schossen|eröffnete[n]?\s+das\s+Feuer)",
    # Spanish
    r"\b(?:abatido|abatida|herido|herida|neutralizado|neutralizada)s?(?:\s+a\s+tiros)?\s+por\s+"
    r"(?:la\s+policía|los\s+agentes|la\s+guardia\s+civil|los\s+mossos|agentes)",
    r"\b(?:la\s+policía|los\s+agentes)\s+(?:abrió|abrieron)\s+fuego",
    # Norwegian
    r"\b(?:skutt|skadeskutt|pågrepet)(?:\s+og\s+(?:pågrepet|drept|skadet))?\s+av\s+(?:politiet|politi|væpnet\s+politi)",
    r"\bpolitiet\s+(?:skjøt|åpnet\s+ild)",
]), re.IGNORECASE)


# -- what the text asserts about the attack ------------------------------------------------------------

# The attack is what the attacker did. Negated concepts ("not jihadist", "no ideological motive"), an
# opposition ("anti-racism marchers" are the target, not the motive) and what followed (a backlash, riots,
# vigils) say nothing about the attack itself.
_ATTACK_FACETS = ("attack", "target", "motive", "detail")
_NEGATIONS = frozenset("""not no never without nor neither non n't isn't wasn't weren't
    pas ni aucun aucune sans nicht kein keine keinen keiner keinem ohne sin ningun ninguna ningún ninguna
    ikke ingen uten inte utan uden niet geen zonder nessun nessuna senza nao não nenhum nenhuma sem nie bez""".split())
# words that may stand between a negation and what it negates ("not a terrorist", "no ideological motive")
_NEGATION_GAP = frozenset("""a an the any clear known real sign evidence ideological political religious
    terrorist extremist signs of un une de d le la des ein eine einen einem kein um el la un una ningun
    en et noe noen een het de il lo uno una um uma o a attack attentat attaque acte act anschlag angriff
    ataque atentado angrep terrorangrep attacco attentato aanslag aanval atak motive motif motiv motivo""".split())
_OPPOSED_PREFIXES = ("anti", "counter", "contre", "gegen", "contra", "mot", "tegen")
_AFTERMATH_CUES = re.compile(r"""\b(?:
    in\s+the\s+(?:aftermath|days|weeks|months)|after(?:wards)?\s*,|after\s+the\s+(?:attack|shooting|bombing)|
    following\s+the\s+(?:attack|shooting|bombing)|followed\s+by|was\s+followed|led\s+to|sparked|triggered|
    backlash|reprisals?|retaliat\w*|riots?|rioters|rioting|unrest|vigils?|hate\s+crimes?\s+(?:that\s+)?follow\w*|
    après\s+l'attentat|après\s+l'attaque|dans\s+les\s+jours\s+qui|a\s+entraîné|représailles|émeutes?|
    nach\s+dem\s+(?:anschlag|angriff|attentat)|danach|in\s+den\s+tagen\s+danach|ausschreitungen|krawalle|
    tras\s+el\s+(?:atentado|ataque)|después\s+del\s+(?:atentado|ataque)|disturbios|represalias|
    etter\s+angrepet|opptøyer|i\s+dagene\s+etter|dopo\s+l'attentato|rivolte|na\s+de\s+aanslag|rellen|
    efter\s+attentatet|efter\s+angrebet|upplopp|optøjer|após\s+o\s+ataque|tumultos|zamieszki|po\s+ataku)""",
    re.IGNORECASE | re.VERBOSE)
# Words that make a whole sentence about prevention, the backlash or rumours ("worked with Muslim communities
# to prevent backlash", "rumours that the attacker was an asylum seeker"): none of it describes the attack.
_SENTENCE_CUES = re.compile(r"""\b(?:to\s+prevent|prevent(?:ion|ing)?|programmes?|programs?|backlash|
    prévenir|prévention|programme|vorbeugen|prävention|präventions\w*|prevenir|prevención|programa|
    forebygge|forebygging|program|prevenzione|preventie|förebygg\w*|forebyggelse|prevenção|prewencj\w*|
    rumou?rs?|misinformation|disinformation|fake\s+news|rumeurs?|désinformation|gerüchte?|desinformation|
    rumores|bulos?|rykter|ryktene|voci\s+false|dicerie|geruchten|rykten|rygter|boatos|plotki|söylenti\w*|شائعات)\b""",
    re.IGNORECASE | re.VERBOSE)
_SENTENCE_END = re.compile(r"[.!?;\n]")


def _aftermath_regions(text: str) -> list[tuple[int, int]]:
    """Return (start, end) character ranges that tell of what followed the attack, to each sentence's end."""
    regions = []
    for cue in _AFTERMATH_CUES.finditer(text):
        end = _SENTENCE_END.search(text, cue.end())
        regions.append((cue.start(), end.start() if end else len(text)))
    for cue in _SENTENCE_CUES.finditer(text):
        end = _SENTENCE_END.search(text, cue.end())
        start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, cue.start())), default=0)
        regions.append((start, end.start() if end else len(text)))
    return regions


def _drop_unasserted(result: ConceptMatch, text: str, toks: list) -> None:
    """Remove from result the attack facets the text negates, opposes or tells of as aftermath."""
    if not result.spans:
        return
    starts = {start: i for i, (_, start, _) in enumerate(toks)}
    regions = _aftermath_regions(text)
    kept, dropped = [], set()
    for start, end, concept in result.spans:
        facet = concept.split(":", 1)[0]
        if facet in _ATTACK_FACETS and (
                any(a <= start < b for a, b in regions) or _negated(toks, starts.get(start))
                or (facet == "motive" and _opposed(text, toks, starts.get(start)))):
            dropped.add(concept)
            continue
        kept.append((start, end, concept))
    if not dropped:
        return
    still = {c for _, _, c in kept}
    result.spans = kept
    for concept in dropped - still:
        facet, key = concept.split(":", 1)
        result.facets.get(facet, set()).discard(key)
        if not result.facets.get(facet):
            result.facets.pop(facet, None)
        result.words.pop(concept, None)


def _negated(toks: list, i: int | None) -> bool:
    if i is None:
        return False
    for j in range(i - 1, max(-1, i - 4), -1):
        word = T.fold(toks[j][0])
        if word in _NEGATIONS:
            return True
        if word not in _NEGATION_GAP:
            return False
    return False


def _opposed(text: str, toks: list, i: int | None) -> bool:
    """True for "anti-racism", "counter-jihadist": the word names what the people opposed."""
    if not i:
        return False
    previous, _, prev_end = toks[i - 1]
    between = text[prev_end:toks[i][1]]
    return T.fold(previous) in _OPPOSED_PREFIXES and between.strip() in ("-", "")


def blank_police_response(text: str) -> str:
    """Return ``text`` with phrases about the police stopping the attacker blanked out (offsets kept)."""
    return _POLICE_RESPONSE.sub(lambda m: " " * len(m.group(0)), text)


def extract_concepts(text: str, lang: str | None = None) -> ConceptMatch:
    """Return the concepts of text as {facet: {key}} (a ConceptMatch) with the words that matched."""
    return load_vocabulary().extract(text, lang)


# -- one incident at a time ---------------------------------------------------------------------------

_SENTENCE_RE = re.compile(r"[^.!?;\n]+(?:[.!?;]+|\n+|$)")
_YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_YEAR_LEAD_WORDS = 8  # a sentence opening on a date ("In June 2022, …", "Am 19. Februar 2020 …")


def split_incidents(text: str) -> list[str]:
    """Return the parts of a summary that each describe one attack (the whole text when it tells of one).

    A new part starts at a sentence that opens on a year other than those of the part so far, once that
    part has named a kind of attack; a part that names no attack stays with the one before it.
    """
    text = (text or "").strip()
    sentences = [m.group().strip() for m in _SENTENCE_RE.finditer(text) if m.group().strip()]
    if len(sentences) < 2:
        return [text] if text else []
    vocabulary = load_vocabulary()
    parts: list[list[str]] = []
    years: set[str] = set()
    for sentence in sentences:
        lead = " ".join(T.words(sentence)[:_YEAR_LEAD_WORDS])
        opening = set(_YEAR_RE.findall(lead))
        has_attack = bool(parts) and bool(vocabulary.extract(" ".join(parts[-1])).get("attack"))
        if parts and opening and years and not (opening & years) and has_attack:
            parts.append([sentence])
            years = set(opening)
        else:
            if not parts:
                parts.append([])
            parts[-1].append(sentence)
            years |= set(_YEAR_RE.findall(sentence)) if not years else opening
    merged: list[str] = []
    for part in parts:
        chunk = " ".join(part)
        if merged and not vocabulary.extract(chunk).get("attack"):
            merged[-1] = f"{merged[-1]} {chunk}"
        else:
            merged.append(chunk)
    return merged
