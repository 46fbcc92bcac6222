"""The network's shared vocabulary (regions, levels, sectors, themes, phases, facets, languages) from
``seeds/vocabulary.json``.

Read once per process; every feature takes its keys and labels from here. Labels are in the page's language
(``crm.i18n.current_language()``): each item of the seed file has its English ``label`` and ``labels`` in the
other languages of the interface; the names of languages are Babel's (CLDR) in the page's language. Each list
is built once per language and copied for the caller. Typed text (imports) matches a key by its labels in any
of the interface's languages.
"""

from __future__ import annotations

from functools import lru_cache

import pycountry
from babel import Locale
from flask_babel import gettext

from crm.core.names import default_region, fold_name
from crm.i18n import DEFAULT, LANGUAGES, current_language
from crm.seeding import read_json

KEYED_LISTS = ("regions", "levels", "sectors", "themes", "phases")


@lru_cache(maxsize=1)
def _vocabulary() -> dict:
    return read_json("vocabulary.json")


def _language(language: str | None) -> str:
    code = language or current_language()
    return code if code in LANGUAGES else DEFAULT


def _item_label(item: dict, language: str) -> str:
    """An item's label in ``language``, English when the seed has none."""
    if language == DEFAULT:
        return item["label"]
    return (item.get("labels") or {}).get(language) or item["label"]


def _items(name: str) -> list[dict]:
    if name.startswith("facets."):
        return _vocabulary()["facets"][name.split(".", 1)[1]]
    return _vocabulary()[name]


@lru_cache(maxsize=128)
def _cached_pairs(name: str, language: str) -> tuple[tuple[str, str], ...]:
    if name == "languages":
        return tuple((item["code"], _language_label(item, language)) for item in _items(name))
    return tuple((item["key"], _item_label(item, language)) for item in _items(name))


def _language_label(item: dict, language: str) -> str:
    """A language's name in ``language``: the seed's English name, else CLDR's (capitalised for a list)."""
    if language == DEFAULT:
        return item["label"]
    name = Locale.parse(language).languages.get(item["code"])
    return (name[:1].upper() + name[1:]) if name else item["label"]


def _pairs(name: str, language: str | None = None) -> dict[str, str]:
    return dict(_cached_pairs(name, _language(language)))


def pairs(name: str, language: str | None = None) -> dict[str, str]:
    """Key → label of the vocabulary list ``name`` (regions, levels, sectors, themes, phases, languages)."""
    return _pairs(name, language)


def phases(language: str | None = None) -> dict[str, str]:
    """Response phase key → label, in the order of the response."""
    return _pairs("phases", language)


def regions(language: str | None = None) -> dict[str, str]:
    """Region key → label."""
    return _pairs("regions", language)


def levels(language: str | None = None) -> dict[str, str]:
    """Level of government key → label."""
    return _pairs("levels", language)


def sectors(language: str | None = None) -> dict[str, str]:
    """Contact sector key → label."""
    return _pairs("sectors", language)


def themes(language: str | None = None) -> dict[str, str]:
    """Theme (expertise) key → label."""
    return _pairs("themes", language)


def languages(language: str | None = None) -> dict[str, str]:
    """ISO 639-1 code → the language's name (in English, or in the page's language)."""
    return _pairs("languages", language)


def language_name(code: str, language: str | None = None) -> str:
    """Return the name of a language as written inside a sentence of the page ("French", "français", "francés")."""
    language = _language(language)
    if language != DEFAULT:
        name = Locale.parse(language).languages.get(code)
        if name:
            return name
    return languages(DEFAULT).get(code, code)


def facet_labels(facet: str, language: str | None = None) -> dict[str, str]:
    """Key → label of the seed values of an incident facet (attack, target, motive, aftermath)."""
    if facet not in _vocabulary()["facets"]:
        return {}
    return _pairs(f"facets.{facet}", language)


def label(kind: str, key: str, language: str | None = None) -> str:
    """Return the label of ``key`` in vocabulary ``kind`` (the key itself when unknown)."""
    return pairs(kind, language).get(key, key)


@lru_cache(maxsize=16)
def _concept_labels(language: str) -> dict[str, str]:
    """"facet:key" → label of the facets, themes and the peer search's details and topics (seeds/concepts.json)."""
    out = {f"{facet}:{key}": text for facet in _vocabulary()["facets"]
           for key, text in _cached_pairs(f"facets.{facet}", language)}
    out.update({f"theme:{key}": text for key, text in _cached_pairs("themes", language)})
    for entry in read_json("concepts.json")["concepts"]:
        if entry.get("label"):
            out.setdefault(f"{entry['facet']}:{entry['key']}", _item_label(entry, language))
    return out


def concept_label(concept: str, language: str | None = None) -> str | None:
    """Return the label of a search concept ("attack:shooting", "detail:mosque") in the page's language, or None."""
    return _concept_labels(_language(language)).get(concept)


def match_key(mapping: dict[str, str], text: str) -> str | None:
    """Return the key of ``mapping`` that ``text`` names, by key or by label (in any language of the
    interface, when ``mapping`` is one of the vocabulary's lists), ignoring case and accents."""
    return _folded(tuple(mapping.items())).get(fold_name(text))


@lru_cache(maxsize=64)
def _folded(items: tuple) -> dict[str, str]:
    """Folded key and label → key (the first that matches wins), so a long import folds each label once."""
    index: dict[str, str] = {}
    for key, _label in items:
        index.setdefault(fold_name(key), key)
    for key, value in items:
        index.setdefault(fold_name(value), key)
    keys = {key for key, _label in items}
    for name in (*KEYED_LISTS, *(f"facets.{facet}" for facet in _vocabulary()["facets"])):
        if {item["key"] for item in _items(name)} != keys:
            continue
        for language in LANGUAGES:  # English first: its labels win a tie
            for key, value in _cached_pairs(name, language):
                index.setdefault(fold_name(value), key)
    return index


# -- what people type in spreadsheets ----------------------------------------------------------------

@lru_cache(maxsize=1)
def _language_names() -> dict[str, str]:
    """Folded language name or code → ISO 639-1 code: the network's list, pycountry, then seeds' aliases."""
    index: dict[str, str] = {}
    for language in pycountry.languages:
        code = getattr(language, "alpha_2", None)
        if not code:
            continue
        for attr in ("name", "common_name", "inverted_name"):
            value = getattr(language, attr, None)
            if value:
                index.setdefault(fold_name(value), code)
                index.setdefault(fold_name(value.split(" (")[0]), code)  # "Malay (macrolanguage)" → malay
        for attr in ("alpha_3", "bibliographic"):
            if getattr(language, attr, None):
                index.setdefault(getattr(language, attr).lower(), code)
        index.setdefault(code, code)
    for name, code in read_json("language_names.json")["names"].items():
        index[fold_name(name) or name] = code
    for code, name in languages(DEFAULT).items():
        index[code] = code
        index[fold_name(name)] = code
    for language in LANGUAGES:  # "allemand", "alemán", "الألمانية"
        for code, name in languages(language).items():
            index.setdefault(fold_name(name), code)
    return index


def resolve_language(text: str) -> str | None:
    """Return the ISO 639-1 code of a language typed as a code ("zh", "pt-BR", "fra") or a name
    ("Mandarin", "Farsi", "Português"), or None when it names no language."""
    raw = (text or "").strip()
    if not raw:
        return None
    names = _language_names()
    code = raw.replace("_", "-").split("-")[0].lower()  # a language tag: en-GB, pt_BR, zh-Hans
    if 2 <= len(code) <= 3 and code.isascii() and code.isalpha() and code in names:
        return names[code]
    return names.get(fold_name(raw)) or names.get(raw.casefold())


def _singular(text: str) -> str:
    return " ".join(word[:-1] if len(word) > 3 and word.endswith("s") else word for word in text.split())


@lru_cache(maxsize=1)
def _theme_words() -> dict[str, str]:
    index: dict[str, str] = {}
    for language in LANGUAGES:
        for key, label_ in themes(language).items():
            for text in (key, label_, label_.replace(" and ", " ")):
                index.setdefault(_singular(fold_name(text)), key)
    return index


def resolve_theme(text: str) -> str:
    """Return the theme key ``text`` names (by key or label, singular or plural), else the text itself,
    trimmed: expertise and lesson themes keep free text as a tag of its own."""
    cleaned = " ".join((text or "").split())
    key = match_key(themes(), cleaned) or _theme_words().get(_singular(fold_name(cleaned)))
    return key or cleaned[:100]


# Broad words for a part of the world (continents, "Middle East"): the region is then the country's own.
BROAD_REGIONS = {"europe", "asia", "africa", "americas", "america", "oceania", "middle east", "latin america",
                 "north america", "south america", "central america", "caribbean", "eurasia", "australasia",
                 "emea", "apac", "mena", "nordics", "scandinavia", "balkans", "pacific", "global", "world",
                 "international", "other", "n a", "na", "none", "unknown", "-",
                 # the same in French, Spanish and Arabic (folded: no accents, no hamza)
                 "afrique", "asie", "amerique", "ameriques", "oceanie", "moyen orient", "amerique latine",
                 "amerique du nord", "amerique du sud", "amerique centrale", "caraibes", "monde", "autre", "aucun",
                 "europa", "oriente medio", "oriente proximo", "medio oriente", "america latina",
                 "america del norte", "america del sur", "caribe", "mundo", "otro", "otra", "ninguno", "balcanes",
                 "pacifico",
                 "افريقيا", "اوروبا", "اسيا", "امريكا", "الامريكتان", "اوقيانوسيا", "الشرق الاوسط",
                 "امريكا اللاتينية", "العالم", "دولي", "اخرى", "اخر"}


def resolve_region(text: str, country: str | None) -> tuple[str, str | None]:
    """Return the network region for a ``region`` cell and an alpha-2 country, and a note when the cell
    was not one of the network's regions (a continent, another word): the country's region is used then."""
    cleaned = (text or "").strip()
    key = match_key(regions(), cleaned) if cleaned else None
    if key:
        return key, None
    fallback = default_region(country)
    if not cleaned or fold_name(cleaned) in BROAD_REGIONS:
        return fallback, None
    if fallback:
        return fallback, gettext("region “%(region)s” is not one of the network's regions: %(fallback)s (from the "
                                 "country) is used", region=cleaned, fallback=label("regions", fallback))
    return fallback, gettext("region “%(region)s” is not one of the network's regions; left empty", region=cleaned)
