"""What the lessons feature answers when other features ask (``crm.core.signals``)."""

from __future__ import annotations

from crm.core import signals
from crm.i18n import current_language


@signals.city_history.connect
def city_lessons(city, *, user) -> dict:
    """The lessons of a city that ``user`` may read, for the city page's history."""
    from crm.lessons.services import visible_lessons

    return {"lessons": list(visible_lessons(user, status=None, city_id=city.id).limit(50))}


@signals.drawn_from_incident.connect
def incident_lessons(incident, *, user) -> list:
    """The lessons drawn from an incident that ``user`` may read (one version of each, the reader's language
    first), for the incident page."""
    from crm.lessons.services import one_per_family, visible_lessons

    return one_per_family(visible_lessons(user, incident_id=incident.id), current_language())
