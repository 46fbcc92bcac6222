"""Seeds: the response toolkit (reference); the demo lessons, then the search index rebuilt (demo)."""

from __future__ import annotations

from crm.db import database
from crm.incidents.seeds import find_city
from crm.seeding import loader, read_json


@loader()
def response_toolkit() -> int:
    """Load the response toolkit of seeds/toolkit.json (items found by phase and title are kept)."""
    from crm.lessons.models import ToolkitItem

    created = 0
    with database.atomic():
        for item in read_json("toolkit.json"):
            if ToolkitItem.get_or_none(ToolkitItem.phase == item["phase"], ToolkitItem.title == item["title"]) is None:
                ToolkitItem.create(phase=item["phase"], position=item.get("position", 0), title=item["title"],
                                   guidance=item.get("guidance", ""), themes=item.get("themes", []))
                created += 1
    return created


@loader(demo=True)
def demo_lessons() -> int:
    """Load the demo lessons (seeds/demo/lessons.json), published."""
    from crm.incidents.models import Incident
    from crm.lessons.models import Lesson
    from crm.lessons.services import create_lesson

    created = 0
    for data in read_json("demo/lessons.json"):
        city = find_city(data["city"])
        if city is None or Lesson.get_or_none(Lesson.city == city, Lesson.title == data["title"]) is not None:
            continue
        incident = (Incident.get_or_none(Incident.city == city, Incident.title == data["incident"])
                    if data.get("incident") else None)
        create_lesson(city, {"title": data["title"], "phase": data["phase"], "themes": data.get("themes", []),
                             "body": data.get("body", ""), "incident": incident,
                             "visibility": data.get("visibility", "network")}, actor=None, status="published")
        created += 1
    return created


# Last of the demo loaders up to here (workspace and mailings come after), as it was when it stood in
# incidents' seeds: the index is rebuilt once the demo incidents and lessons are in.
@loader(demo=True)
def demo_search_index() -> int:
    """Rebuild the search index from the database so that the demo's search works at once."""
    from crm import indexing

    indexing.rebuild()
    return 0
