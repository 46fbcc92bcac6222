"""Events: reports by sector, country and region, participant CSV, attendance, histories."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict, defaultdict

import peewee
from babel.dates import format_skeleton
from flask_babel import gettext as _

from crm import vocabulary
from crm.contacts.models import Contact
from crm.core.csvexport import to_csv
from crm.db import utcnow
from crm.events.models import OFFERED, PUBLISHED, REGISTERED, WAITING, Event, Invitation, Registration
from crm.events.registration import ACTIVE_REGISTRATION, participants
from crm.events.visibility import is_staff, visible_events
from crm.i18n import current_language
from crm.membership.models import City


def event_report(event: Event) -> dict:
    """Return registered / waiting / attended / no-show counts by sector, country and region."""
    regs = list(participants(event))
    ended = event.is_past
    sectors, regions = vocabulary.pairs("sectors"), vocabulary.pairs("regions")
    tables = {}
    for dimension in ("sector", "country", "region"):
        rows: dict[str, dict] = {}
        for reg in regs:
            city = reg.contact.city
            if dimension == "sector":
                key = reg.sector or reg.contact.sector or "other"
                label = sectors.get(key, key.replace("_", " ").capitalize())
            elif dimension == "country":
                key = city.country if city else ""
                label = _country_name(key) if key else _("No city")
            else:
                key = city.region if city else ""
                label = regions.get(key, key) if key else _("No city")
            row = rows.setdefault(key, {"key": key, "label": label, "registered": 0, "waiting": 0,
                                        "attended": 0, "no_show": 0})
            if reg.status == REGISTERED:
                row["registered"] += 1
                if reg.checked_in_at:
                    row["attended"] += 1
                elif ended:
                    row["no_show"] += 1
            elif reg.status in (WAITING, OFFERED):
                row["waiting"] += 1
        ordered = sorted(rows.values(), key=lambda r: (-r["registered"], r["label"]))
        total = {"label": _("Total"), **{k: sum(r[k] for r in ordered)
                                       for k in ("registered", "waiting", "attended", "no_show")}}
        tables[dimension] = {"rows": ordered, "total": total}
    return {"tables": tables, "ended": ended}


def _country_name(code: str) -> str:
    """The country's name in the page's language (pycountry's English name in English)."""
    import pycountry
    from babel import Locale

    language = current_language()
    if language != "en":
        name = Locale.parse(language).territories.get(code.upper())
        if name:
            return name
    country = pycountry.countries.get(alpha_2=code)
    return country.name if country else code


CSV_COLUMNS = ["name", "email", "position", "organisation", "sector", "city", "country", "status", "attended"]


def participants_csv(event: Event) -> str:
    """Return the participant list as CSV: only people who agreed to be listed, email only if they agreed."""
    rows = []
    for reg in participants(event, status=REGISTERED):
        if not reg.consent_listed:
            continue
        c, city = reg.contact, reg.contact.city
        rows.append([c.name, c.email if reg.consent_share_email and c.email else "", c.position,
                     reg.organisation or c.organisation, reg.sector or c.sector, city.name if city else "",
                     city.country if city else "", reg.status, "yes" if reg.checked_in_at else "no"])
    return to_csv(CSV_COLUMNS, rows)


def _period(value: dt.datetime, period: str) -> str:
    if period == "quarter":
        return f"{value.year} Q{(value.month - 1) // 3 + 1}"
    return str(value.year)


def _period_label(key: str) -> str:
    """A period as the page's language writes it: "2026 Q2" in English, Babel's "T2 2026" in French."""
    language = current_language()
    if " Q" not in key or language == "en":
        return key
    year, quarter = key.split(" Q")
    return format_skeleton("yQQQ", dt.date(int(year), 3 * int(quarter) - 2, 1), locale=language)


def attendance_over_time(by: str = "city", period: str = "year") -> dict:
    """Return attendance (people checked in) per city or sector, per year or quarter, across all events."""
    rows = (Registration.select(Registration, Contact, Event, City)
            .join(Event).switch(Registration).join(Contact)
            .join(City, peewee.JOIN.LEFT_OUTER, on=(Contact.city == City.id))
            .where(Registration.checked_in_at.is_null(False)))
    sectors = vocabulary.pairs("sectors")
    table: dict[str, dict] = {}
    periods = set()
    for reg in rows:
        label_period = _period(reg.event.starts_at, period)
        periods.add(label_period)
        if by == "sector":
            key = reg.sector or reg.contact.sector or "other"
            label = sectors.get(key, key)
        else:
            city = reg.contact.city
            label = f"{city.name} ({city.country})" if city else _("No city")
        row = table.setdefault(label, {"label": label, "counts": defaultdict(int), "total": 0})
        row["counts"][label_period] += 1
        row["total"] += 1
    periods = sorted(periods)
    ordered = sorted(table.values(), key=lambda r: (-r["total"], r["label"]))
    return {"periods": periods, "rows": ordered, "labels": {p: _period_label(p) for p in periods},
            "totals": {p: sum(r["counts"][p] for r in ordered) for p in periods}}


# --- histories and dashboard ----------------------------------------------------------------------


def contact_event_history(contact: Contact) -> list[dict]:
    """Return a contact's invitations, registrations and attendance, newest event first."""
    items: dict[int, dict] = {}
    for inv in Invitation.select(Invitation, Event).join(Event).where(Invitation.contact == contact):
        items.setdefault(inv.event.id, {"event": inv.event, "invitation": None, "registration": None})
        items[inv.event.id]["invitation"] = inv
    for reg in Registration.select(Registration, Event).join(Event).where(Registration.contact == contact):
        items.setdefault(reg.event.id, {"event": reg.event, "invitation": None, "registration": None})
        items[reg.event.id]["registration"] = reg
    for item in items.values():
        reg = item["registration"]
        item["attended"] = bool(reg and reg.checked_in_at)
    return sorted(items.values(), key=lambda i: i["event"].starts_at, reverse=True)


def city_event_participation(city: City, viewer) -> list[dict]:
    """Return, per event (newest first), the city's contacts registered or attending that ``viewer`` may see.

    Staff see everyone. Officials of the city see their colleagues on the events they may see themselves;
    officials of other cities see only the city's focal points, and only where they agreed to be listed
    on a seat they hold (never the waiting list), as the participant list of the event shows them.
    """
    rows = (Registration.select(Registration, Contact, Event).join(Contact).switch(Registration).join(Event)
            .where(Contact.city == city, Registration.status.in_(ACTIVE_REGISTRATION))
            .order_by(Event.starts_at.desc(), Contact.name))
    if not is_staff(viewer):
        rows = rows.where(Event.id.in_(visible_events(viewer).select(Event.id).order_by()))
        if getattr(viewer, "city_id", None) != city.id:
            rows = rows.where(Contact.city_role == "focal_point", Registration.consent_listed == True,  # noqa: E712
                              Registration.status == REGISTERED)
    events: OrderedDict[int, dict] = OrderedDict()
    for reg in rows:
        entry = events.setdefault(reg.event.id, {"event": reg.event, "people": [], "attended": 0})
        entry["people"].append(reg)
        entry["attended"] += 1 if reg.checked_in_at else 0
    return list(events.values())


def upcoming_with_seats(limit: int = 6) -> list[dict]:
    """Return the next published events with seats taken, capacity and waiting-list length."""
    events = list(Event.select().where(Event.status == PUBLISHED, Event.ends_at > utcnow())
                  .order_by(Event.starts_at).limit(limit))
    # One grouped query for all the events (the dashboard shows this panel on every visit).
    by_event: dict[int, dict[str, int]] = {}
    if events:
        rows = (Registration.select(Registration.event, Registration.status,
                                    peewee.fn.COUNT(Registration.id).alias("n"))
                .where(Registration.event.in_([e.id for e in events]),
                       Registration.status.in_([REGISTERED, OFFERED, WAITING]))
                .group_by(Registration.event, Registration.status).tuples())
        for event_id, status, n in rows:
            by_event.setdefault(event_id, {})[status] = n
    result = []
    for event in events:
        c = by_event.get(event.id, {})
        taken = c.get(REGISTERED, 0) + c.get(OFFERED, 0)
        result.append({"event": event, "taken": taken, "capacity": event.capacity, "waiting": c.get(WAITING, 0),
                       "percent": min(100, round(100 * taken / event.capacity)) if event.capacity else None})
    return result
