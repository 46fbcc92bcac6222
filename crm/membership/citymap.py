"""The map of member cities: an equirectangular SVG drawn on the server, with no tile server and no script.

One SVG unit is a degree: x is the longitude and y minus the latitude, over the land outline in
crm/static/map/world-110m.svg (Natural Earth, public domain).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crm.membership.models import City

NORTH, SOUTH = 84, -60  # the latitudes shown: every inhabited land but Antarctica
VIEW_BOX = f"-180 {-NORTH} 360 {NORTH - SOUTH}"
MERIDIANS = tuple(range(-150, 180, 30))
PARALLELS = tuple(lat for lat in range(-60, 90, 30) if SOUTH < lat < NORTH)


@dataclass(frozen=True)
class Dot:
    """A city on the map: its id, name and country code, and where the dot is drawn (x, y in SVG units)."""

    city_id: int
    name: str
    country: str
    x: float
    y: float


@dataclass
class CityMap:
    """The cities a map shows, those it cannot place (no coordinates), and its frame."""

    dots: list[Dot] = field(default_factory=list)
    unplaced: list[tuple[int, str, str]] = field(default_factory=list)  # (id, name, country)
    view_box: str = VIEW_BOX
    meridians: tuple[int, ...] = MERIDIANS
    parallels: tuple[int, ...] = PARALLELS
    north: int = NORTH
    south: int = SOUTH


def city_map(cities) -> CityMap:
    """Return the map of the cities a query selects, reading only the columns the map needs."""
    result = CityMap()
    rows = cities.select(City.id, City.name, City.country, City.latitude, City.longitude).tuples()
    for city_id, name, country, latitude, longitude in rows:
        if latitude is None or longitude is None:
            result.unplaced.append((city_id, name, country))
        else:
            y = -min(max(latitude, SOUTH), NORTH)
            result.dots.append(Dot(city_id, name, country, round(longitude, 2), round(y, 2)))
    return result
