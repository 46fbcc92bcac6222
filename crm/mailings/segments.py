"""Segments: saved filters of contacts and their cities, matched against the database when a mailing needs them.

A segment only narrows who a mailing may reach: consent (its list), do-not-contact, unsubscribes and bounces
are applied afterwards by ``crm.mailings.services.audience``, exactly as for a list.
"""

from __future__ import annotations

import datetime as dt

import peewee
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm import vocabulary
from crm.audit.services import record
from crm.contacts.models import Contact
from crm.core.errors import DomainError
from crm.db import database, utcnow
from crm.events.models import Event, Registration
from crm.mailings.models import MailingList, Segment
from crm.membership.models import CITY_STATUSES, City

ATTENDED_DAYS = 365  # "attended an event in the last year"

# filter key -> (label, where the value is read)
FILTERS = {
    "regions": _l("Region"),
    "statuses": _l("City status"),
    "sectors": _l("Sector"),
    "languages": _l("Language"),
    "expertise": _l("City expertise"),
    "contacts": _l("Chosen contacts"),
}


class SegmentError(DomainError):
    """A user-facing refusal about a segment."""


def choices() -> dict[str, dict[str, str]]:
    """Return the values each filter may take, ``{filter: {key: label}}`` (chosen contacts excepted)."""
    return {"regions": vocabulary.regions(), "statuses": dict(CITY_STATUSES), "sectors": vocabulary.sectors(),
            "languages": vocabulary.languages(), "expertise": vocabulary.themes()}


def clean_filters(values: dict) -> dict:
    """Keep the known filters with their non-empty values; ``attended_last_year`` is a yes/no."""
    found: dict = {}
    for key in FILTERS:
        chosen = [str(v).strip() for v in (values.get(key) or []) if str(v).strip()]
        if key == "contacts":
            chosen = sorted({int(v) for v in chosen if v.isdigit()})
        if chosen:
            found[key] = chosen
    if values.get("attended_last_year"):
        found["attended_last_year"] = True
    return found


def describe(filters: dict) -> str:
    """Say the filter in words: "Region: Western Europe; Sector: Police; attended an event in the last year"."""
    labels = choices()
    parts = []
    for key, title in FILTERS.items():
        values = filters.get(key) or []
        if not values:
            continue
        if key == "contacts":
            parts.append(_("%(filter)s: %(values)s", filter=title, values=len(values)))
        else:
            parts.append(_("%(filter)s: %(values)s", filter=title,
                           values=", ".join(labels[key].get(v, v) for v in values)))
    if filters.get("attended_last_year"):
        parts.append(_("attended an event in the last year"))
    return "; ".join(parts) or _("Every contact")


def attended_since(since: dt.datetime) -> peewee.SelectQuery:
    """The ids of the contacts checked in at an event that started since ``since`` (and has started)."""
    return (Registration
            .select(Registration.contact)
            .join(Event)
            .where(Registration.checked_in_at.is_null(False),
                   Event.starts_at >= since,
                   Event.starts_at <= utcnow()))


def matching_contacts(filters: dict, *, now: dt.datetime | None = None) -> list[Contact]:
    """Return the contacts (not erased) the filters select, with their city, in name order.

    Region, city status, sector, chosen contacts and attendance are asked of the database; language and
    expertise are lists kept as JSON, compared here. A contact's languages are their own, or else their city's.
    """
    query = (Contact
             .select(Contact, City)
             .join(City, peewee.JOIN.LEFT_OUTER)
             .where(Contact.erased_at.is_null())
             .order_by(Contact.name_key, Contact.id))
    if filters.get("regions"):
        query = query.where(City.region.in_(filters["regions"]))
    if filters.get("statuses"):
        query = query.where(City.status.in_(filters["statuses"]))
    if filters.get("sectors"):
        query = query.where(Contact.sector.in_(filters["sectors"]))
    if filters.get("contacts"):
        query = query.where(Contact.id.in_(filters["contacts"]))
    if filters.get("attended_last_year"):
        since = (now or utcnow()) - dt.timedelta(days=ATTENDED_DAYS)
        query = query.where(Contact.id.in_(attended_since(since)))
    languages = set(filters.get("languages") or [])
    expertise = set(filters.get("expertise") or [])
    found = []
    for contact in query:
        city = contact.city if contact.city_id else None
        if languages and not languages & set(contact.languages or (city.languages if city else [])):
            continue
        if expertise and not (city and expertise & set(city.expertise or [])):
            continue
        found.append(contact)
    return found


def save_segment(segment: Segment | None, *, name: str, mailing_list: MailingList, filters: dict,
                 actor=None) -> Segment:
    """Create or update a segment; refuse a name already taken."""
    name = " ".join((name or "").split())
    if not name:
        raise SegmentError(_("Give the segment a name."))
    taken = Segment.select().where(peewee.fn.LOWER(Segment.name) == name.lower())
    if segment is not None:
        taken = taken.where(Segment.id != segment.id)
    if taken.exists():
        raise SegmentError(_("A segment called “%(name)s” already exists: choose another name.", name=name))
    cleaned = clean_filters(filters)
    with database.atomic():
        if segment is None:
            segment = Segment(created_by=actor if getattr(actor, "id", None) else None)
        segment.name, segment.mailing_list, segment.filters = name, mailing_list, cleaned
        segment.updated_at = utcnow()
        created = segment.id is None
        segment.save()
        with force_locale("en"):  # the audit log is kept in English, whoever reads the page
            summary = f"{'Created' if created else 'Edited'} segment {name}: {describe(cleaned)}"
        record(actor, "segment.create" if created else "segment.update", segment, summary=summary)
    return segment
