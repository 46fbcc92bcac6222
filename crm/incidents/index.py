"""Search documents of incidents: network-only unless the city made them public."""

from __future__ import annotations

from crm.incidents.models import Incident
from crm.indexing import Kind, only_ids
from crm.membership.index import city_values
from crm.membership.models import City
from crm.peers.matching import incident_document


def incident_values(incident: Incident) -> dict:
    """Return the plain dict of an incident that the peer-search document builders take."""
    return {"id": incident.id, "title": incident.title, "summary": incident.summary,
            "scale": incident.scale or None, "response": incident.response,
            "facets": dict(incident.facets or {}), "occurred_on": incident.occurred_on,
            "visibility": incident.visibility if incident.visibility in ("public", "network") else "network"}


def to_document(incident: Incident, city: City | None = None) -> dict:
    """Return the index document of an incident."""
    city = city or incident.city
    return incident_document(incident_values(incident), city_values(city))


def documents(ids=None):
    """Yield (id, document) for the incidents named by ``ids`` (all when None)."""
    for incident in only_ids(Incident.select(Incident, City).join(City).order_by(Incident.id), ids):
        yield incident.id, to_document(incident, incident.city)


# Lessons drawn from an incident carry its facets: the lessons' index watches Incident for them.
KINDS = (Kind("incident", Incident, documents),)
WATCHED = ((City, lambda city: [f"incident:{row.id}" for row in Incident.select(Incident.id).where(Incident.city == city.id)]),)
