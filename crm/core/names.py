"""Names compared the way people mean them: folding, countries (ISO 3166) and their regions.

Plain Python with no Flask in it, so the duplicate rules can be tested alone.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache

import pycountry

# Letters that NFKD does not decompose but that people type either way ("Tromsø" = "Tromso").
_FOLD_TABLE = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "œ": "oe", "đ": "d", "ð": "d", "þ": "th",
                             "ł": "l", "ı": "i"})
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def fold_name(name: str | None) -> str:
    """Return ``name`` without case, accents or punctuation, for duplicate checks ("Malmö" → "malmo")."""
    text = unicodedata.normalize("NFKD", (name or "").casefold().translate(_FOLD_TABLE))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NOT_WORD.sub(" ", text).strip()[:200]


# Common and former names that people still type, folded, mapped to ISO 3166-1 alpha-2.
COUNTRY_ALIASES = {
    "turkey": "TR", "turkiye": "TR", "russia": "RU", "czech republic": "CZ", "czechia": "CZ",
    "ivory coast": "CI", "cote d ivoire": "CI", "south korea": "KR", "korea": "KR", "north korea": "KP",
    "iran": "IR", "syria": "SY", "vietnam": "VN", "laos": "LA", "moldova": "MD", "bolivia": "BO",
    "venezuela": "VE", "tanzania": "TZ", "taiwan": "TW", "macedonia": "MK", "north macedonia": "MK",
    "swaziland": "SZ", "eswatini": "SZ", "burma": "MM", "myanmar": "MM", "cape verde": "CV",
    "uk": "GB", "united kingdom": "GB", "great britain": "GB", "britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB", "usa": "US", "us": "US",
    "united states": "US", "america": "US", "united states of america": "US", "holland": "NL",
    "the netherlands": "NL", "palestine": "PS", "kosovo": "XK", "brunei": "BN", "vatican": "VA",
    "democratic republic of the congo": "CD", "dr congo": "CD", "drc": "CD", "congo": "CG",
    "republic of the congo": "CG", "uae": "AE", "east timor": "TL", "micronesia": "FM",
}


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    """Folded English names (official and common too) → alpha-2."""
    found = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                found.setdefault(fold_name(value), c.alpha_2)
        found.setdefault(c.alpha_3.lower(), c.alpha_2)
    found.update(COUNTRY_ALIASES)
    return found


def resolve_country(value: str | None) -> str | None:
    """Return the alpha-2 code of a country typed as a code or an English (also former) name, or None."""
    text = (value or "").strip()
    if not text:
        return None
    if len(text) == 2 and text.isalpha():
        code = text.upper()
        return code if code == "XK" or pycountry.countries.get(alpha_2=code) else None
    return _countries().get(fold_name(text))


def country_name(code: str | None, language: str = "en") -> str:
    """Return the short name of an alpha-2 code (the code itself when unknown): pycountry's English name in
    English, else Babel's CLDR name of the territory in ``language`` (the English one when CLDR has none)."""
    if not code:
        return ""
    if language != "en":
        name = _territory_names(language).get(code.upper())
        if name:
            return name
    if code == "XK":
        return "Kosovo"
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or getattr(country, "name", code) if country else code


@lru_cache(maxsize=16)
def _territory_names(language: str) -> dict[str, str]:
    """CLDR's territory names in ``language``, by code (empty for a language Babel does not know)."""
    from babel import Locale, UnknownLocaleError

    try:
        return dict(Locale.parse(language).territories)
    except (UnknownLocaleError, ValueError):
        return {}


@lru_cache(maxsize=16)
def country_choices(language: str = "en") -> list[tuple[str, str]]:
    """Return ``(alpha-2, name)`` for every country, named in ``language``, sorted by name."""
    pairs = [(c.alpha_2, country_name(c.alpha_2, language)) for c in pycountry.countries]
    pairs.append(("XK", country_name("XK", language)))
    return sorted(pairs, key=lambda p: fold_name(p[1]))


# The network's regions (keys from seeds/vocabulary.json), by alpha-2 code: the default region of a
# new member. The secretariat can change it on the city's profile.
_REGION_CODES = {
    "north_america": "US CA",
    "latin_america_caribbean": """MX GT BZ SV HN NI CR PA CU DO HT JM TT BB BS AG DM GD KN LC VC CO VE EC PE BO
        BR PY UY AR CL GY SR PR""",
    "western_europe": "GB IE FR BE NL LU DE AT CH LI MC ES PT AD IT SM VA MT",
    "northern_europe": "NO SE DK FI IS EE LV LT FO GL",
    "central_eastern_europe": "PL CZ SK HU SI RO BG MD UA BY RU GR CY HR GE AM AZ",
    "western_balkans": "AL BA XK ME MK RS",
    "mena": "MA DZ TN LY EG SD MR LB SY JO IL PS IQ IR SA YE OM AE QA BH KW TR",
    "east_southern_africa": """KE UG TZ RW BI ET ER DJ SO SS ZA NA BW ZW ZM MW MZ AO LS SZ MG MU SC KM""",
    "west_central_africa": """NG GH SN ML BF NE TD CM CF GA CG CD GQ CI LR SL GN GW GM TG BJ CV ST""",
    "south_asia": "IN PK BD LK NP BT MV AF",
    "asia_pacific": """CN JP KR KP MN TW HK MO VN LA KH TH MM MY SG ID PH BN TL KZ KG TJ TM UZ""",
    "oceania": "AU NZ PG FJ SB VU WS TO KI TV NR FM MH PW",
}
# Territories, by their UN M49 sub-region: Caribbean and South America, Northern America, Northern and
# Southern Europe, Polynesia/Micronesia/Melanesia and Australia-New Zealand, Northern/Eastern/Western Africa.
_TERRITORY_CODES = {
    "latin_america_caribbean": "AW AI BQ BL CW KY GP MF MS MQ SX TC VG VI GF FK GS",
    "north_america": "BM PM",
    "western_europe": "GG JE IM GI",
    "northern_europe": "AX SJ",
    "oceania": "AS GU MP NC NF NU PN PF TK WF CK CC CX HM UM",
    "mena": "EH",
    "east_southern_africa": "RE YT IO TF",
    "west_central_africa": "SH",
}
for _region, _codes in _TERRITORY_CODES.items():
    _REGION_CODES[_region] += " " + _codes
REGION_BY_COUNTRY = {code: region for region, codes in _REGION_CODES.items() for code in codes.split()}


def default_region(country: str | None) -> str:
    """Return the network region of an alpha-2 country code ("" when none fits)."""
    return REGION_BY_COUNTRY.get((country or "").upper(), "")


# Words around a local authority's name that say what kind of authority it is, folded, in the network's
# languages: "City of Medellín", "Bærum kommune", "Ville de Lyon", "Comune di Bari" all name the place.
AUTHORITY_PREFIXES = (
    "the city of", "city of", "town of", "municipality of", "the municipality of", "borough of", "county of",
    "city and county of", "metropolitan municipality of", "district of", "city council of", "council of",
    "ville de", "ville d", "commune de", "commune d", "mairie de", "mairie d", "stadt", "gemeinde",
    "landeshauptstadt", "hansestadt", "comune di", "citta di", "municipio de", "municipio di",
    "municipalidad de", "alcaldia de", "ayuntamiento de", "prefeitura de", "camara municipal de", "concello de",
    "gemeente", "stad", "kommune", "kommun", "grad", "miasto", "gmina", "mesto", "kaupunki",
)
AUTHORITY_SUFFIXES = (
    "city council", "city", "municipality", "municipal council", "council", "town", "borough",
    "kommune", "kommun", "stad", "stadt", "gemeente", "kaupunki", "kunta", "linna", "municipio",
)
_PREFIX_RE = re.compile(r"^(?:" + "|".join(map(re.escape, sorted(AUTHORITY_PREFIXES, key=len, reverse=True)))
                        + r")\s+")
_SUFFIX_RE = re.compile(r"\s+(?:" + "|".join(map(re.escape, sorted(AUTHORITY_SUFFIXES, key=len, reverse=True)))
                        + r")$")
SIMILAR_NAMES = 0.85  # difflib ratio of two core names from which they are shown as possible duplicates


def core_name(name: str | None) -> str:
    """Return the folded place name without words saying what kind of authority it is ("City of MEDELLIN" → "medellin")."""
    key = fold_name(name)
    for pattern in (_PREFIX_RE, _SUFFIX_RE):
        stripped = pattern.sub("", key, count=1).strip()
        if stripped:  # "Stadt" alone stays "stadt"
            key = stripped
    return key


def name_similarity(a: str | None, b: str | None) -> float:
    """Return how alike two authority names are, 0 to 1, after folding and without authority words."""
    left, right = core_name(a), core_name(b)
    if not left or not right:
        return 0.0
    if left == right:
        return 1.0
    return difflib.SequenceMatcher(None, left, right).ratio()
