"""Seeds: the facet vocabulary (reference) and the demo incidents."""

from __future__ import annotations

import datetime as dt

from crm.db import database
from crm.seeding import loader, read_json


@loader()
def facet_vocabulary() -> int:
    """Load the facet values of seeds/vocabulary.json into the vocabulary staff can extend."""
    from crm.incidents.models import FacetTerm

    created = 0
    with database.atomic():
        for facet, terms in read_json("vocabulary.json")["facets"].items():
            for position, term in enumerate(terms, start=1):
                if FacetTerm.get_or_none(FacetTerm.facet == facet, FacetTerm.key == term["key"]) is None:
                    FacetTerm.create(facet=facet, key=term["key"], label=term["label"], position=position)
                    created += 1
    return created


def find_city(name: str, country: str | None = None):
    from crm.core.names import fold_name
    from crm.membership.models import City

    query = City.select().where(City.name_key == fold_name(name))
    if country:
        query = query.where(City.country == country)
    return query.first()


@loader(demo=True)
def demo_incidents() -> int:
    """Load the incidents of the demo cities (seeds/demo/cities.json)."""
    from crm.incidents.models import Incident
    from crm.incidents.services import create_incident

    created = 0
    for data in read_json("demo/cities.json"):
        city = find_city(data["name"], data.get("country"))
        if city is None:
            continue
        for item in data.get("incidents") or ():
            if Incident.get_or_none(Incident.city == city, Incident.title == item["title"]) is not None:
                continue
            create_incident(city, {
                "title": item["title"], "occurred_on": dt.date.fromisoformat(item["occurred_on"]) if item.get("occurred_on") else None,
                "summary": item.get("summary", ""), "facets": item.get("facets") or {}, "scale": item.get("scale") or "",
                "response": item.get("response", ""), "visibility": item.get("visibility", "network")}, actor=None)
            created += 1
    return created
