"""Demo events (seeds/demo/events.json) with agendas and registrations drawn from the demo contacts.

Idempotent: an event is looked up by title; its registrations are added only once, and only from
contacts that exist (the membership demo loader creates them), so running it first adds events only.
"""

from __future__ import annotations

import datetime as dt
import random

from crm.db import database, utcnow
from crm.events.timezones import to_utc
from crm.resources import seeds_dir
from crm.seeding import loader, read_json


def _local_to_utc(day: dt.date, hhmm: str, zone: str) -> dt.datetime:
    return to_utc(dt.datetime.combine(day, dt.time.fromisoformat(hhmm)), zone)


def _speaker(spec: dict):
    from crm.contacts.models import Contact
    from crm.membership.models import City

    query = Contact.select().join(City).where(City.name == spec["city"]).order_by(Contact.id)
    if spec.get("sector"):
        preferred = query.where(Contact.sector == spec["sector"]).first()
        if preferred:
            return preferred
    return query.first()


def _register_demo(event, plan: dict) -> int:
    """Give a demo event its registrations from existing contacts (none if it already has some)."""
    from crm.contacts.models import Contact
    from crm.events.models import Registration

    if Registration.select().where(Registration.event == event).exists():
        return 0
    contacts = list(Contact.select().where(Contact.email.is_null(False)).order_by(Contact.id))
    if not contacts:
        return 0
    rng = random.Random(event.title)
    rng.shuffle(contacts)
    wanted = plan.get("registered", 0)
    if event.capacity:
        wanted = min(wanted, event.capacity)
    chosen = contacts[:wanted]
    waiting = contacts[wanted:wanted + plan.get("waiting", 0)]
    created = 0
    base = event.starts_at - dt.timedelta(days=30)
    for n, contact in enumerate(chosen):
        attended = event.ends_at < utcnow() and rng.random() < plan.get("attended_share", 0)
        Registration.create(event=event, contact=contact, status="registered", source="member",
                            organisation=contact.organisation, sector=contact.sector,
                            consent_listed=rng.random() < 0.8, consent_share_email=rng.random() < 0.4,
                            registered_at=base + dt.timedelta(hours=n),
                            checked_in_at=event.starts_at + dt.timedelta(minutes=rng.randint(0, 40)) if attended else None)
        created += 1
    for position, contact in enumerate(waiting, start=1):
        Registration.create(event=event, contact=contact, status="waiting", waiting_position=position,
                            organisation=contact.organisation, sector=contact.sector, source="member")
        created += 1
    return created


def load_events(items: list[dict]) -> int:
    """Create the events of ``items`` that are missing (by title) with their agendas and registrations."""
    from crm.events.models import Event, Session, SessionSpeaker
    from crm.membership.models import City

    created = 0
    today = utcnow().date()
    with database.atomic():
        for item in items:
            event = Event.get_or_none(Event.title == item["title"])
            if event is None:
                zone = item.get("timezone", "UTC")
                first = today + dt.timedelta(days=item["days_from_today"])
                last = first + dt.timedelta(days=item.get("days", 1) - 1)
                host = City.get_or_none(City.name == item["host_city"]) if item.get("host_city") else None
                starts = _local_to_utc(first, item["start_time"], zone)
                event = Event.create(
                    title=item["title"], kind=item["kind"], description=item.get("description", ""), host_city=host,
                    venue=item.get("venue", ""), address=item.get("address", ""),
                    online_url=item.get("online_url", ""), timezone=zone, starts_at=starts,
                    ends_at=_local_to_utc(last, item["end_time"], zone), capacity=item.get("capacity"),
                    visibility=item.get("visibility", "members"), status=item.get("status", "published"),
                    audience_sectors=item.get("audience_sectors", []),
                    published_at=starts - dt.timedelta(days=60) if item.get("status") != "draft" else None)
                created += 1
                for entry in item.get("agenda", []):
                    day = first + dt.timedelta(days=entry["day"] - 1)
                    session = Session.create(event=event, title=entry["title"], kind=entry.get("kind", "session"),
                                             place=entry.get("place", ""),
                                             starts_at=_local_to_utc(day, entry["start"], zone),
                                             ends_at=_local_to_utc(day, entry["end"], zone))
                    for spec in entry.get("speakers", []):
                        contact = _speaker(spec)
                        if contact and not SessionSpeaker.select().where(SessionSpeaker.session == session,
                                                                         SessionSpeaker.contact == contact).exists():
                            SessionSpeaker.create(session=session, contact=contact)
            elif event.host_city_id is None and item.get("host_city"):
                # The cities may have been loaded after the events: attach the host now.
                event.host_city = City.get_or_none(City.name == item["host_city"])
                event.save()
            created += _register_demo(event, item.get("registrations", {}))
    return created


@loader(demo=True)
def demo_events() -> int:
    """Create the demo events with agendas and registrations from the demo contacts."""
    if not (seeds_dir() / "demo" / "events.json").exists():
        return 0
    return load_events(read_json("demo/events.json"))
