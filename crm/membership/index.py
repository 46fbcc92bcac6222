"""Search documents of member cities (registered with crm.indexing)."""

from __future__ import annotations

from crm.indexing import Kind, only_ids
from crm.membership.models import City
from crm.peers.matching import city_document


def city_values(city: City) -> dict:
    """Return the plain dict of a city that the peer-search document builders take."""
    return {"id": city.id, "name": city.name, "country": city.country, "region": city.region or None,
            "languages": list(city.languages or ()), "expertise": list(city.expertise or ()),
            "status": city.status, "population": city.population,
            "focal_point_available": city.focal_point_available}


def to_document(city: City) -> dict:
    """Return the index document of a city's profile (visible to the whole network)."""
    doc = city_document(city_values(city))
    doc["visibility"] = "network"
    doc["population"] = city.population
    doc["focal_point_available"] = bool(city.focal_point_available)
    return doc


def documents(ids=None):
    """Yield (id, document) for the cities named by ``ids`` (all when None)."""
    for city in only_ids(City.select().order_by(City.id), ids):
        yield city.id, to_document(city)


# The documents that copy a city's details (its contacts, incidents and lessons) are named by those
# features' index modules, which watch City (``WATCHED``).
KINDS = (Kind("city", City, documents),)
