"""The network's shared vocabulary (regions, levels, sectors, themes, phases, languages) from ``seeds/vocabulary.json``.

Read once per process; every feature takes its keys and labels from here."""

from __future__ import annotations

from functools import lru_cache

import pycountry

from crm.core.names import default_region, fold_name
from crm.seeding import read_json


@lru_cache(maxsize=1)
def _vocabulary() -> dict:
    return read_json("vocabulary.json")


def _pairs(name: str, key: str = "key") -> dict[str, str]:
    return {item[key]: item["label"] for item in _vocabulary()[name]}


def pairs(name: str) -> dict[str, str]:
    """Key → label of the vocabulary list ``name`` (regions, levels, sectors, themes, phases, …)."""
    return _pairs(name, key="code" if name == "languages" else "key")


def phases() -> dict[str, str]:
    """Response phase key → label, in the order of the response."""
    return _pairs("phases")


def regions() -> dict[str, str]:
    """Region key → label."""
    return _pairs("regions")


def levels() -> dict[str, str]:
    """Level of government key → label."""
    return _pairs("levels")


def sectors() -> dict[str, str]:
    """Contact sector key → label."""
    return _pairs("sectors")


def themes() -> dict[str, str]:
    """Theme (expertise) key → label."""
    return _pairs("themes")


def languages() -> dict[str, str]:
    """ISO 639-1 code → English label."""
    return _pairs("languages", key="code")


def label(kind: str, key: str) -> str:
    """Return the label of ``key`` in vocabulary ``kind`` (the key itself when unknown)."""
    return pairs(kind).get(key, key)


def match_key(mapping: dict[str, str], text: str) -> str | None:
    """Return the key of ``mapping`` that ``text`` names, by key or by label, ignoring case."""
    return _folded(tuple(mapping.items())).get(fold_name(text))


@lru_cache(maxsize=64)
def _folded(items: tuple) -> dict[str, str]:
    """Folded key and label → key (the first that matches wins), so a long import folds each label once."""
    index: dict[str, str] = {}
    for key, _label in items:
        index.setdefault(fold_name(key), key)
    for key, value in items:
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
    for code, name in languages().items():
        index[code] = code
        index[fold_name(name)] = code
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
    for key, label_ in themes().items():
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
                 "international", "other", "n a", "na", "none", "unknown", "-"}


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
    note = f"region “{cleaned}” is not one of the network's regions"
    return fallback, note + (f": {label('regions', fallback)} (from the country) is used" if fallback else "; left empty")
