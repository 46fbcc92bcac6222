"""iCalendar (RFC 5545) output: one event, or a feed of events, built with the ``icalendar`` package."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import icalendar
from flask import current_app
from flask_babel import gettext as _

from crm.db import utcnow
from crm.events.links import event_link

PRODID = "-//Strong Cities Network//CRM events//EN"


def _aware(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC)


def _vevent(event) -> icalendar.Event:
    base = current_app.config["BASE_URL"]
    host = urlsplit(base).hostname or "crm.local"
    item = icalendar.Event()
    item.add("uid", f"event-{event.id}@{host}")
    item.add("dtstamp", _aware(utcnow()))
    item.add("dtstart", _aware(event.starts_at))
    item.add("dtend", _aware(event.ends_at))
    item.add("summary", event.title)
    item.add("sequence", int((event.updated_at - event.created_at).total_seconds()) if event.updated_at else 0)
    item.add("last-modified", _aware(event.updated_at or event.created_at))
    place = ", ".join(p for p in (event.venue, event.address) if p) or event.online_url
    if place:
        item.add("location", place)
    description = event.description or ""
    if event.online_url:
        description = _("Online: %(url)s", url=event.online_url) + f"\n\n{description}"
    item.add("description", description.strip())
    item.add("url", event_link(event))
    item.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
    item.add("categories", [str(event.kind_label)])
    return item


def _calendar(name: str) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def event_ics(event) -> bytes:
    """Return one event as an .ics file (method PUBLISH)."""
    cal = _calendar(event.title)
    cal.add("method", "PUBLISH")
    cal.add_component(_vevent(event))
    return cal.to_ical()


def feed_ics(events, name: str | None = None) -> bytes:
    """Return a calendar feed of ``events`` (named for the network's events unless ``name`` is given)."""
    cal = _calendar(name or _("Strong Cities Network events"))
    for event in events:
        cal.add_component(_vevent(event))
    return cal.to_ical()


def ics_attachment(event) -> list[tuple[str, str, bytes]]:
    """Return the mail attachment list carrying ``event`` as an .ics file."""
    return [(f"event-{event.id}.ics", "text/calendar", event_ics(event))]
