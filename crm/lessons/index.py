"""Search documents of lessons and toolkit items.

A lesson's document says who may see it: ``public`` and ``network`` as published; ``cities`` with the
named cities (and the author's) in ``allowed_city_ids``; anything not published is ``unpublished`` and
allowed to the author's city only. Staff searches apply no visibility filter.
"""

from __future__ import annotations

from collections import defaultdict

from peewee import JOIN

from crm.incidents.index import incident_values
from crm.incidents.models import Incident
from crm.indexing import Kind, only_ids
from crm.lessons.models import Lesson, LessonCity, ToolkitItem
from crm.membership.index import city_values
from crm.membership.models import City
from crm.peers.matching import lesson_document
from crm.vocabulary import themes


def lesson_audience(lesson: Lesson, shared_with: list[int] | None = None) -> tuple[str, list[str]]:
    """Return the (visibility, allowed city ids) of a lesson's document."""
    if lesson.status != "published":
        return "unpublished", [str(lesson.city_id)]
    if lesson.visibility == "cities":
        if shared_with is None:
            shared_with = [link.city_id for link in LessonCity.select().where(LessonCity.lesson == lesson.id)]
        return "cities", sorted({str(lesson.city_id), *(str(c) for c in shared_with)})
    return (lesson.visibility if lesson.visibility in ("public", "network") else "network"), []


def to_document(lesson: Lesson, city: City | None = None, incident: Incident | None = None,
                shared_with: list[int] | None = None) -> dict:
    """Return the index document of a lesson."""
    city = city or lesson.city
    if incident is None and lesson.incident_id:
        incident = lesson.incident
    visibility, allowed = lesson_audience(lesson, shared_with)
    free_themes = [t for t in lesson.themes or () if t not in themes()]  # an import's free-text tags
    body = lesson.body + ("\n\nThemes: " + "; ".join(free_themes) + "." if free_themes else "")
    doc = lesson_document({"id": lesson.id, "title": lesson.title, "body": body, "phase": lesson.phase,
                           "themes": list(lesson.themes or ()), "visibility": visibility,
                           "allowed_city_ids": allowed},
                          city_values(city), incident_values(incident) if incident else None)
    doc["status"] = lesson.status
    return doc


def documents(ids=None):
    """Yield (id, document) for the lessons named by ``ids`` (all when None)."""
    IncidentAlias = Incident.alias()
    query = (Lesson.select(Lesson, City, IncidentAlias)
             .join(City, on=(Lesson.city == City.id))
             .switch(Lesson)
             .join(IncidentAlias, JOIN.LEFT_OUTER, on=(Lesson.incident == IncidentAlias.id), attr="incident_row")
             .order_by(Lesson.id))
    links = LessonCity.select(LessonCity.lesson, LessonCity.city)
    if ids is not None:
        ids = list(ids)
        query = query.where(Lesson.id.in_(ids))
        links = links.where(LessonCity.lesson.in_(ids))
    shared = defaultdict(list)
    for link in links:
        shared[link.lesson_id].append(link.city_id)
    for lesson in query:
        incident = getattr(lesson, "incident_row", None)
        if incident is not None and incident.id is None:
            incident = None
        yield lesson.id, to_document(lesson, lesson.city, incident, shared.get(lesson.id, []))


def toolkit_document(item: ToolkitItem) -> dict:
    """Return the index document of a toolkit item (visible to the network)."""
    return {"doc_id": f"toolkit_item:{item.id}", "kind": "toolkit_item", "title": item.title,
            "body": item.guidance, "themes": list(item.themes or ()),
            "facets": [f"theme:{t}" for t in item.themes or ()], "phase": item.phase,
            "visibility": "network"}


def toolkit_documents(ids=None):
    """Yield (id, document) for the toolkit items named by ``ids`` (all when None)."""
    for item in only_ids(ToolkitItem.select().order_by(ToolkitItem.id), ids):
        yield item.id, toolkit_document(item)


KINDS = (Kind("lesson", Lesson, documents), Kind("toolkit_item", ToolkitItem, toolkit_documents))
def _drawn_from(incident: Incident) -> list[str]:
    """Lessons drawn from an incident carry its facets."""
    return [f"lesson:{row.id}" for row in Lesson.select(Lesson.id).where(Lesson.incident == incident.id)]


WATCHED = ((LessonCity, lambda link: [f"lesson:{link.lesson_id}"]),  # who a lesson is shared with is in its document
           (Incident, _drawn_from),
           (City, lambda city: [f"lesson:{row.id}" for row in Lesson.select(Lesson.id).where(Lesson.city == city.id)]))
