"""Events: plan, change, publish, cancel and complete an event; its agenda."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict, defaultdict

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.audit.services import record
from crm.contacts.models import Contact
from crm.db import database, utcnow
from crm.events.calendar import ics_attachment
from crm.events.capacity import run_locked, seats_taken
from crm.events.errors import EventError
from crm.events.links import mail_context
from crm.events.models import (
    CANCELLED,
    COMPLETED,
    DRAFT,
    PUBLISHED,
    Event,
    Registration,
    Session,
    SessionSpeaker,
)
from crm.events.registration import ACTIVE_REGISTRATION, send_offers
from crm.mail import queue_mail
from crm.peers.language import WRITTEN_LANGUAGES, detected_language

EVENT_FIELDS = ("title", "kind", "description", "host_city", "venue", "address", "online_url", "timezone",
                "starts_at", "ends_at", "capacity", "waiting_list", "registration_opens_at",
                "registration_closes_at", "audience_sectors", "visibility", "offer_hours", "reminder_days",
                "invitation_reminder_days", "language")


def _tag_language(values: dict, event: Event | None = None) -> None:
    """Left on "Detect from the text" (or not given on a new event), the language is read from the title and
    description, as for lessons; a chosen one must be a language texts may be written in."""
    if "language" not in values and event is not None:
        return
    if not values.get("language"):
        values["language"] = detected_language(values.get("title", getattr(event, "title", "")),
                                               values.get("description", getattr(event, "description", "")))
    elif values["language"] not in WRITTEN_LANGUAGES:
        raise EventError(_("Choose the language the event is described in."))


def _check_event_values(values: dict) -> None:
    if values["ends_at"] <= values["starts_at"]:
        raise EventError(_("The event must end after it starts."))
    closes = values.get("registration_closes_at")
    opens = values.get("registration_opens_at")
    if opens and closes and closes <= opens:
        raise EventError(_("Registration must close after it opens."))
    if values.get("capacity") is not None and values["capacity"] < 1:
        raise EventError(_("Capacity must be at least 1, or left empty for no limit."))


def create_event(*, actor, **values) -> Event:
    """Create a draft event."""
    _check_event_values(values)
    _tag_language(values)
    with database.atomic():
        event = Event.create(created_by=actor.id if actor else None, status=DRAFT,
                             **{k: v for k, v in values.items() if k in EVENT_FIELDS})
        record(actor, "event.create", event, summary=f"Created event {event.title}",
               changes={"title": event.title, "starts_at": event.starts_at, "capacity": event.capacity})
    return event


def update_event(event: Event, *, actor, **values) -> Event:
    """Change an event; raising the capacity offers the new seats to the people waiting."""
    _check_event_values(values)
    _tag_language(values, event)

    def apply(locked: Event):
        changes = {k: [getattr(locked, k), v] for k, v in values.items()
                   if k in EVENT_FIELDS and _comparable(getattr(locked, k)) != _comparable(v)}
        if not changes:
            return locked
        new_capacity = values.get("capacity", locked.capacity)
        taken = seats_taken(locked)
        if new_capacity is not None and new_capacity < taken:
            raise EventError(_("%(taken)s seats are taken (registered or offered), so the capacity cannot go below "
                               "%(taken)s. Cancel registrations or move people to the waiting list first.",
                               taken=taken), field="capacity")
        for key, (_old, new) in changes.items():
            setattr(locked, key, new)
        locked.updated_at = utcnow()
        locked.save()
        record(actor, "event.update", locked, summary=f"Updated event {locked.title}", changes=changes)
        practical = [k for k in PRACTICAL_FIELDS if k in changes]
        if practical and locked.status == PUBLISHED:
            _mail_practical_change(locked, practical)
        if "capacity" in changes:
            send_offers(locked, actor)
        return locked

    updated = run_locked(event.id, apply)
    return updated


PRACTICAL_FIELDS = ("starts_at", "ends_at", "venue", "address", "online_url", "timezone")


def _mail_practical_change(event: Event, fields: list[str]) -> None:
    """Tell everyone registered, offered or waiting that the time or place changed (with a new .ics)."""
    if "starts_at" in fields:
        # The reminder goes again before the new date.
        Registration.update(reminder_sent_at=None).where(Registration.event == event).execute()
    people = (Registration.select(Registration, Contact).join(Contact)
              .where(Registration.event == event, Registration.status.in_(ACTIVE_REGISTRATION)))
    for reg in people:
        if reg.contact.email:
            queue_mail(reg.contact.email, _l("Changed: %(title)s", title=event.title), "event_changed",
                       attachments=ics_attachment(event), **mail_context(event, reg))


def _comparable(value):
    return value.id if hasattr(value, "_meta") else value


def publish_event(event: Event, *, actor) -> Event:
    """Publish a draft event: it becomes visible and open for registration."""
    if event.status != DRAFT:
        raise EventError(_("Only a draft can be published; this event is %(status)s.", status=str(event.status_label).lower()))
    with database.atomic():
        event.status, event.published_at, event.updated_at = PUBLISHED, utcnow(), utcnow()
        event.save()
        record(actor, "event.publish", event, summary=f"Published event {event.title}",
               changes={"status": [DRAFT, PUBLISHED]})
    return event


def cancel_event(event: Event, *, actor, reason: str = "") -> int:
    """Cancel an event and mail everyone registered, offered a seat or waiting; return mails queued."""
    if event.status == CANCELLED:
        raise EventError(_("This event is already cancelled."))

    def apply(locked: Event):
        old = locked.status
        locked.status, locked.cancelled_at, locked.cancellation_reason = CANCELLED, utcnow(), reason.strip()
        locked.save()
        people = list(Registration.select(Registration, Contact).join(Contact)
                      .where(Registration.event == locked, Registration.status.in_(ACTIVE_REGISTRATION)))
        mailed = 0
        for reg in people:
            if reg.contact.email:
                queue_mail(reg.contact.email, _l("Cancelled: %(title)s", title=locked.title), "event_cancelled",
                           attachments=ics_attachment(locked), reason=locked.cancellation_reason,
                           **mail_context(locked, reg))
                mailed += 1
        record(actor, "event.cancel", locked, summary=f"Cancelled event {locked.title}; {mailed} people mailed",
               changes={"status": [old, CANCELLED], "reason": locked.cancellation_reason})
        return mailed

    return run_locked(event.id, apply)


def complete_event(event: Event, *, actor) -> Event:
    """Mark a published event that has ended as completed."""
    if event.status != PUBLISHED or not event.is_past:
        raise EventError(_("Only a published event that has ended can be marked completed."))
    with database.atomic():
        event.status = COMPLETED
        event.save()
        record(actor, "event.complete", event, summary=f"Completed event {event.title}",
               changes={"status": [PUBLISHED, COMPLETED]})
    return event


# --- agenda ---------------------------------------------------------------------------------------


def _check_session(event: Event, starts_at, ends_at):
    if ends_at <= starts_at:
        raise EventError(_("A session must end after it starts."))
    if starts_at < event.starts_at - dt.timedelta(days=1) or ends_at > event.ends_at + dt.timedelta(days=1):
        raise EventError(_("The session is outside the event's dates: check the day and time."))


def save_session(event: Event, *, actor, session: Session | None = None, speaker_ids=(), **values) -> Session:
    """Add a session to the agenda, or change one; ``speaker_ids`` are contact ids."""
    _check_session(event, values["starts_at"], values["ends_at"])
    with database.atomic():
        if session is None:
            session = Session.create(event=event, **values)
            action, changes = "event.session_add", {"title": session.title}
        else:
            changes = {k: [getattr(session, k), v] for k, v in values.items() if getattr(session, k) != v}
            for key, value in values.items():
                setattr(session, key, value)
            session.save()
            action = "event.session_update"
        old = {link.contact_id for link in session.speaker_links}
        new = {int(i) for i in speaker_ids}
        if old != new:
            SessionSpeaker.delete().where(SessionSpeaker.session == session,
                                          SessionSpeaker.contact.not_in(list(new) or [0])).execute()
            for cid in new - old:
                SessionSpeaker.create(session=session, contact=cid)
            changes["speakers"] = [sorted(old), sorted(new)]
        record(actor, action, event, summary=f"Agenda of {event.title}: {session.title}", changes=changes)
    return session


def delete_session(session: Session, *, actor) -> None:
    """Remove a session from the agenda."""
    with database.atomic():
        event = session.event
        record(actor, "event.session_delete", event, summary=f"Agenda of {event.title}: removed {session.title}",
               changes={"title": session.title})
        session.delete_instance(recursive=True)


def agenda_days(event: Event) -> list[tuple[dt.date, list[dict]]]:
    """Return the agenda as (local day, sessions) pairs, each session with local times and speakers."""
    sessions = list(Session.select().where(Session.event == event).order_by(Session.starts_at, Session.id))
    speakers = defaultdict(list)
    if sessions:
        links = (SessionSpeaker.select(SessionSpeaker, Contact).join(Contact)
                 .where(SessionSpeaker.session.in_([s.id for s in sessions])).order_by(Contact.name))
        for link in links:
            speakers[link.session_id].append(link.contact)
    days: OrderedDict[dt.date, list[dict]] = OrderedDict()
    for s in sessions:
        start, end = event.local(s.starts_at), event.local(s.ends_at)
        days.setdefault(start.date(), []).append(
            {"session": s, "start": start, "end": end, "speakers": speakers[s.id],
             "overlaps": [o for o in sessions if o.id != s.id and _overlap(o, s)]})
    return list(days.items())


def _overlap(a: Session, b: Session) -> bool:
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def overlapping(session: Session) -> list[Session]:
    """The other sessions of the same event that overlap ``session`` in time (parallel tracks, or a mistake)."""
    return list(Session.select().where(Session.event == session.event_id, Session.id != session.id,
                                       Session.starts_at < session.ends_at, Session.ends_at > session.starts_at)
                .order_by(Session.starts_at))
