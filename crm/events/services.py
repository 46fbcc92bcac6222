"""Events: plan, publish, cancel, invite, register, offer freed seats, remind, check in, report."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict, defaultdict
from zoneinfo import ZoneInfo

import peewee
from flask import current_app, has_request_context, url_for
from itsdangerous import BadSignature, URLSafeSerializer

from crm import vocabulary
from crm.accounts.services import normalise_email
from crm.audit.services import record
from crm.contacts.models import Contact
from crm.csvexport import to_csv
from crm.db import database, utcnow
from crm.events import calendar
from crm.events.capacity import (
    compact_waiting,
    next_offers,
    next_position,
    place_in_waiting,
    run_locked,
    seats_left,
    seats_taken,
)
from crm.events.models import (
    ACCEPTED,
    CANCELLED,
    CANCELLED_REG,
    COMPLETED,
    DECLINED,
    DRAFT,
    EXPIRED,
    OFFERED,
    PENDING,
    PUBLISHED,
    REGISTERED,
    WAITING,
    Event,
    Invitation,
    Registration,
    Session,
    SessionSpeaker,
)
from crm.mail import queue_mail
from crm.membership.models import City

INVITATION_SALT = "event-invitation"
REGISTRATION_SALT = "event-registration"
FEED_SALT = "event-feed"
ACTIVE_REGISTRATION = (REGISTERED, WAITING, OFFERED)
MAX_INVITATION_REMINDERS = 3


class EventError(Exception):
    """A user-facing refusal: the message says what happened and what to do."""


class RegistrationRefused(EventError):
    """Registration is not possible; ``reason`` is one of closed, not_open, full, past,
    invitation_only, cancelled, not_published."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


# --- small helpers -------------------------------------------------------------------------------

def to_utc(local: dt.datetime | None, zone: str) -> dt.datetime | None:
    """Return a naive wall-clock time in ``zone`` as naive UTC (how every ``*_at`` is stored)."""
    if local is None:
        return None
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(dt.UTC).replace(tzinfo=None)


def to_local(value: dt.datetime | None, zone: str) -> dt.datetime | None:
    """Return a stored naive UTC time as a naive wall-clock time in ``zone`` (for forms)."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC).astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def format_local(event: Event, value: dt.datetime | None, fmt: str = "%a %d %b %Y, %H:%M") -> str:
    """Format a stored UTC time in the event's zone, with the zone's abbreviation."""
    local = event.local(value)
    return f"{local.strftime(fmt)} {local.tzname()}" if local else "—"


def absolute_url(endpoint: str, **values) -> str:
    """Return the public address of ``endpoint`` (BASE_URL), also outside requests (cron)."""
    base = current_app.config["BASE_URL"].rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    # Outside a request (cron), build the path from the URL map: pushing a request context here
    # would close the database connection of the caller's transaction when it ends.
    return base + current_app.url_map.bind("localhost").build(endpoint, values)


def _serializer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def make_token(obj, salt: str) -> str:
    """Return a signed token naming ``obj`` (an invitation, registration or user)."""
    return _serializer(salt).dumps({"id": obj.id})


def _load_token(token: str, salt: str) -> int:
    try:
        data = _serializer(salt).loads(token)
    except BadSignature as exc:
        raise EventError("This link is not valid. Check that you copied all of it, "
                         "or write to the secretariat for a new one.") from exc
    return int(data["id"])


def invitation_for_token(token: str) -> Invitation:
    inv = Invitation.get_or_none(Invitation.id == _load_token(token, INVITATION_SALT))
    if inv is None:
        raise EventError("This invitation no longer exists. Write to the secretariat if you think it should.")
    return inv


def registration_for_token(token: str) -> Registration:
    reg = Registration.get_or_none(Registration.id == _load_token(token, REGISTRATION_SALT))
    if reg is None:
        raise EventError("This registration no longer exists. Write to the secretariat if you think it should.")
    return reg


def user_id_for_feed_token(token: str) -> int:
    return _load_token(token, FEED_SALT)


def manage_link(reg: Registration) -> str:
    return absolute_url("events.manage_registration", token=make_token(reg, REGISTRATION_SALT))


def event_link(event: Event) -> str:
    return absolute_url("events.event_detail", event_id=event.id)


def _mail_context(event: Event, reg: Registration | None = None) -> dict:
    ctx = {"event": event, "when": format_local(event, event.starts_at), "until": format_local(event, event.ends_at),
           "event_url": event_link(event)}
    if reg is not None:
        ctx.update(reg=reg, contact=reg.contact, manage_url=manage_link(reg))
    return ctx


def _ics_attachment(event: Event):
    return [(f"event-{event.id}.ics", "text/calendar", calendar.event_ics(event))]


# --- people ---------------------------------------------------------------------------------------

def contact_for_user(user, *, create: bool = False) -> Contact | None:
    """Return the contact with the user's email (creating it, linked to their city, if asked)."""
    email = normalise_email(getattr(user, "email", ""))
    if not email:
        return None
    contact = Contact.get_or_none(Contact.email == email)
    if contact is None and create:
        contact = Contact.create(name=user.name or email, email=email, city=getattr(user, "city", None))
    return contact


def find_or_create_contact(*, name: str, email: str | None, organisation: str = "", sector: str = "",
                           city: City | None = None) -> Contact:
    """Return the contact with this email, or a new one with these details (kept as they were)."""
    email = normalise_email(email) or None
    if email:
        contact = Contact.get_or_none(Contact.email == email)
        if contact is not None:
            return contact
    return Contact.create(name=name.strip() or (email or "Guest"), email=email, organisation=organisation or "",
                          sector=sector or "other", city=city)


# --- visibility -----------------------------------------------------------------------------------

def _is_staff(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_secretariat)


def can_see(event: Event, user) -> bool:
    """Return whether ``user`` (maybe anonymous) may see ``event``."""
    if _is_staff(user):
        return True
    if event.status == DRAFT:
        return False
    if event.visibility == "public":
        return True
    return bool(user is not None and getattr(user, "is_authenticated", False))


def visible_events(user):
    """Return the events listed for ``user``, soonest first: drafts for staff only, and
    invitation-only events only to staff and the people invited (others reach their page by link,
    where they read that it is by invitation only)."""
    query = Event.select().order_by(Event.starts_at)
    if _is_staff(user):
        return query
    query = query.where(Event.status != DRAFT)
    if not (user is not None and getattr(user, "is_authenticated", False)):
        return query.where(Event.visibility == "public")
    contact = contact_for_user(user)
    cond = Event.visibility != "invitation"
    if contact is not None:
        cond = cond | Event.id.in_(Invitation.select(Invitation.event).where(Invitation.contact == contact))
    return query.where(cond)


def feed_events(user):
    """Return the published (or cancelled, so calendars drop them) events for ``user``'s calendar feed."""
    return visible_events(user).where(Event.status.in_([PUBLISHED, CANCELLED, COMPLETED]))


def feed_token(user) -> str:
    return make_token(user, FEED_SALT)


# --- events ---------------------------------------------------------------------------------------

EVENT_FIELDS = ("title", "kind", "description", "host_city", "venue", "address", "online_url", "timezone",
                "starts_at", "ends_at", "capacity", "waiting_list", "registration_opens_at",
                "registration_closes_at", "audience_sectors", "visibility", "offer_hours", "reminder_days",
                "invitation_reminder_days")


def _check_event_values(values: dict) -> None:
    if values["ends_at"] <= values["starts_at"]:
        raise EventError("The event must end after it starts.")
    closes = values.get("registration_closes_at")
    opens = values.get("registration_opens_at")
    if opens and closes and closes <= opens:
        raise EventError("Registration must close after it opens.")
    if values.get("capacity") is not None and values["capacity"] < 1:
        raise EventError("Capacity must be at least 1, or left empty for no limit.")


def create_event(*, actor, **values) -> Event:
    """Create a draft event."""
    _check_event_values(values)
    with database.atomic():
        event = Event.create(created_by=actor.id if actor else None, status=DRAFT,
                             **{k: v for k, v in values.items() if k in EVENT_FIELDS})
        record(actor, "event.create", event, summary=f"Created event {event.title}",
               changes={"title": event.title, "starts_at": event.starts_at, "capacity": event.capacity})
    return event


def update_event(event: Event, *, actor, **values) -> Event:
    """Change an event; raising the capacity offers the new seats to the people waiting."""
    _check_event_values(values)

    def apply(locked: Event):
        changes = {k: [getattr(locked, k), v] for k, v in values.items()
                   if k in EVENT_FIELDS and _comparable(getattr(locked, k)) != _comparable(v)}
        if not changes:
            return locked
        new_capacity = values.get("capacity", locked.capacity)
        taken = seats_taken(locked)
        if new_capacity is not None and new_capacity < taken:
            raise EventError(f"{taken} seats are taken (registered or offered), so the capacity cannot go "
                             f"below {taken}. Cancel registrations or move people to the waiting list first.")
        for key, (_old, new) in changes.items():
            setattr(locked, key, new)
        locked.updated_at = utcnow()
        locked.save()
        record(actor, "event.update", locked, summary=f"Updated event {locked.title}", changes=changes)
        practical = [k for k in PRACTICAL_FIELDS if k in changes]
        if practical and locked.status == PUBLISHED:
            _mail_practical_change(locked, practical)
        if "capacity" in changes:
            _send_offers(locked, actor)
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
            queue_mail(reg.contact.email, f"Changed: {event.title}", "event_changed",
                       attachments=_ics_attachment(event), **_mail_context(event, reg))


def _comparable(value):
    return value.id if hasattr(value, "_meta") else value


def publish_event(event: Event, *, actor) -> Event:
    """Publish a draft event: it becomes visible and open for registration."""
    if event.status != DRAFT:
        raise EventError(f"Only a draft can be published; this event is {event.status_label.lower()}.")
    with database.atomic():
        event.status, event.published_at, event.updated_at = PUBLISHED, utcnow(), utcnow()
        event.save()
        record(actor, "event.publish", event, summary=f"Published event {event.title}",
               changes={"status": [DRAFT, PUBLISHED]})
    return event


def cancel_event(event: Event, *, actor, reason: str = "") -> int:
    """Cancel an event and mail everyone registered, offered a seat or waiting; return mails queued."""
    if event.status == CANCELLED:
        raise EventError("This event is already cancelled.")

    def apply(locked: Event):
        old = locked.status
        locked.status, locked.cancelled_at, locked.cancellation_reason = CANCELLED, utcnow(), reason.strip()
        locked.save()
        people = list(Registration.select(Registration, Contact).join(Contact)
                      .where(Registration.event == locked, Registration.status.in_(ACTIVE_REGISTRATION)))
        mailed = 0
        for reg in people:
            if reg.contact.email:
                queue_mail(reg.contact.email, f"Cancelled: {locked.title}", "event_cancelled",
                           attachments=_ics_attachment(locked), reason=locked.cancellation_reason,
                           **_mail_context(locked, reg))
                mailed += 1
        record(actor, "event.cancel", locked, summary=f"Cancelled event {locked.title}; {mailed} people mailed",
               changes={"status": [old, CANCELLED], "reason": locked.cancellation_reason})
        return mailed

    return run_locked(event.id, apply)


def complete_event(event: Event, *, actor) -> Event:
    """Mark a published event that has ended as completed."""
    if event.status != PUBLISHED or not event.is_past:
        raise EventError("Only a published event that has ended can be marked completed.")
    with database.atomic():
        event.status = COMPLETED
        event.save()
        record(actor, "event.complete", event, summary=f"Completed event {event.title}",
               changes={"status": [PUBLISHED, COMPLETED]})
    return event


# --- agenda ---------------------------------------------------------------------------------------

def _check_session(event: Event, starts_at, ends_at):
    if ends_at <= starts_at:
        raise EventError("A session must end after it starts.")
    if starts_at < event.starts_at - dt.timedelta(days=1) or ends_at > event.ends_at + dt.timedelta(days=1):
        raise EventError("The session is outside the event's dates: check the day and time.")


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
            {"session": s, "start": start, "end": end, "speakers": speakers[s.id]})
    return list(days.items())


# --- registration ---------------------------------------------------------------------------------

def refusal(event: Event, contact: Contact | None = None, *, invited: bool = False) -> RegistrationRefused | None:
    """Return why a registration would be refused now (ignoring seats), or None."""
    now = utcnow()
    secretariat = current_app.config.get("SECRETARIAT_EMAIL", "the secretariat")
    if event.status == CANCELLED:
        return RegistrationRefused("cancelled", "This event has been cancelled, so it takes no registrations.")
    if event.status == COMPLETED or event.starts_at <= now:
        return RegistrationRefused("past", f"This event has already taken place (it started "
                                           f"{format_local(event, event.starts_at)}), so registration is over.")
    if event.status != PUBLISHED:
        return RegistrationRefused("not_published", "This event is not open for registration yet.")
    if event.visibility == "invitation" and not invited:
        has_invitation = contact is not None and Invitation.select().where(
            Invitation.event == event, Invitation.contact == contact).exists()
        if not has_invitation:
            return RegistrationRefused("invitation_only", "This event is by invitation only, and we have no "
                                       f"invitation for you. If you think you should take part, write to {secretariat}.")
    if event.registration_opens_at and now < event.registration_opens_at:
        return RegistrationRefused("not_open", "Registration has not opened yet: it opens "
                                   f"{format_local(event, event.registration_opens_at)}.")
    if event.registration_closes_at and now >= event.registration_closes_at:
        return RegistrationRefused("closed", "Registration closed "
                                   f"{format_local(event, event.registration_closes_at)}. "
                                   f"Write to {secretariat} if you still need to take part.")
    return None


def _full_refusal(event: Event) -> RegistrationRefused:
    return RegistrationRefused("full", f"This event is full: all {event.capacity} seats are taken and it has no "
                                       "waiting list. Write to the secretariat if you need to take part.")


def _registration_mail(event: Event, reg: Registration, *, by_staff: bool = False) -> None:
    if not reg.contact.email:
        return
    ctx = _mail_context(event, reg)
    if reg.status == REGISTERED:
        queue_mail(reg.contact.email, f"You are registered: {event.title}", "event_registered",
                   attachments=_ics_attachment(event), by_staff=by_staff, **ctx)
    elif reg.status == WAITING:
        queue_mail(reg.contact.email, f"Waiting list, number {reg.waiting_position}: {event.title}",
                   "event_waiting", by_staff=by_staff, **ctx)
    elif reg.status == OFFERED:
        queue_mail(reg.contact.email, f"A seat is free for you: {event.title}", "event_offer",
                   deadline=format_local(event, reg.offer_expires_at), **ctx)
    elif reg.status == CANCELLED_REG:
        queue_mail(reg.contact.email, f"Registration cancelled: {event.title}", "event_registration_cancelled",
                   by_staff=by_staff, **ctx)


def _send_offers(event: Event, actor) -> list[Registration]:
    """Offer free seats to the first people waiting (event locked); mail and audit each offer."""
    offers = next_offers(event)
    for reg in offers:
        _registration_mail(event, reg)
        record(actor, "registration.offer", reg, summary=f"Offered a seat at {event.title} to {reg.contact.name}",
               changes={"status": [WAITING, OFFERED], "offer_expires_at": reg.offer_expires_at})
    return offers


DETAIL_FIELDS = ("organisation", "sector", "accessibility_needs", "dietary_needs", "consent_listed",
                 "consent_share_email")


def register(event: Event, *, contact: Contact | None = None, person: dict | None = None, source: str = "member",
             details: dict | None = None, actor=None, invited: bool = False) -> tuple[Registration, bool]:
    """Register a contact (or the person described by ``person``, found or created by email).

    Returns ``(registration, created)``; ``created`` is False when the person already had an active
    registration, which is returned unchanged. Raises RegistrationRefused with its own message.
    With every seat taken the person joins the waiting list (if the event has one).
    """
    details = {k: v for k, v in (details or {}).items() if k in DETAIL_FIELDS}

    def apply(locked: Event):
        who = contact or find_or_create_contact(**person)
        existing = Registration.get_or_none(Registration.event == locked, Registration.contact == who)
        if existing is not None and existing.status in ACTIVE_REGISTRATION:
            return existing, False
        problem = refusal(locked, who, invited=invited)
        if problem:
            raise problem
        free = seats_left(locked)
        if free is None or free > 0:
            status, position = REGISTERED, None
        elif locked.waiting_list:
            status, position = WAITING, next_position(locked)
        else:
            raise _full_refusal(locked)
        now = utcnow()
        values = dict(status=status, waiting_position=position, source=source, updated_at=now,
                      registered_at=now if status == REGISTERED else None, cancelled_at=None,
                      offered_at=None, offer_expires_at=None, reminder_sent_at=None, checked_in_at=None,
                      organisation=details.get("organisation", who.organisation or ""),
                      sector=details.get("sector", who.sector or ""), **{
                          k: v for k, v in details.items() if k not in ("organisation", "sector")})
        if existing is not None:
            for key, value in values.items():
                setattr(existing, key, value)
            existing.save()
            reg = existing
        else:
            reg = Registration.create(event=locked, contact=who, **values)
        reg.contact = who
        Invitation.update(status=ACCEPTED, answered_at=now).where(
            Invitation.event == locked, Invitation.contact == who, Invitation.status == PENDING).execute()
        _registration_mail(locked, reg)
        record(actor, "registration.create", reg,
               summary=f"{who.name} {'registered for' if status == REGISTERED else 'joined the waiting list of'} "
                       f"{locked.title}",
               changes={"status": status, "waiting_position": position, "source": source})
        return reg, True

    return run_locked(event.id, apply)


def resend_manage_link(reg: Registration) -> None:
    """Mail the person their existing registration and its link (asked for by registering twice)."""
    with database.atomic():
        _registration_mail(reg.event, reg)


def register_user(event: Event, user, *, details: dict | None = None) -> tuple[Registration, bool]:
    """Register a signed-in user (through the contact with their email, created if needed)."""
    try:
        with database.atomic():
            contact = contact_for_user(user, create=True)
    except peewee.IntegrityError:  # a double click created it a moment ago
        contact = contact_for_user(user)
    return register(event, contact=contact, source="member", details=details, actor=user)


def cancel_registration(reg: Registration, *, actor=None, by_staff: bool = False) -> Registration:
    """Cancel a registration (or leave the waiting list); a freed seat is offered to the next person."""

    def apply(locked: Event):
        fresh = Registration.get_by_id(reg.id)
        if fresh.status not in ACTIVE_REGISTRATION:
            raise EventError("This registration is already cancelled.")
        old = fresh.status
        fresh.status, fresh.waiting_position, fresh.cancelled_at, fresh.updated_at = (
            CANCELLED_REG, None, utcnow(), utcnow())
        fresh.offer_expires_at = None
        fresh.save()
        if old == WAITING:
            compact_waiting(locked)
        _registration_mail(locked, fresh, by_staff=by_staff)
        record(actor, "registration.cancel", fresh, summary=f"{fresh.contact.name}'s registration for "
               f"{locked.title} cancelled", changes={"status": [old, CANCELLED_REG]})
        if old in (REGISTERED, OFFERED):
            _send_offers(locked, actor)
        return fresh

    return run_locked(reg.event_id, apply)


def confirm_offer(reg: Registration, *, actor=None) -> Registration:
    """Take an offered seat before its deadline."""

    def apply(locked: Event):
        fresh = Registration.get_by_id(reg.id)
        if fresh.status == REGISTERED:
            return fresh
        if fresh.status != OFFERED:
            raise EventError("This offer is no longer open. If you still want to take part, register again: "
                             "you will join the waiting list if the event is full.")
        if fresh.offer_expires_at and fresh.offer_expires_at <= utcnow():
            _expire(locked, fresh, actor)
            return None  # committed: the seat passes on now, not at the next cron run
        if locked.status != PUBLISHED or locked.starts_at <= utcnow():
            raise EventError("This event is no longer taking registrations.")
        fresh.status, fresh.registered_at, fresh.updated_at = REGISTERED, utcnow(), utcnow()
        fresh.offer_expires_at = None
        fresh.save()
        _registration_mail(locked, fresh)
        record(actor, "registration.confirm_offer", fresh, summary=f"{fresh.contact.name} took the offered seat "
               f"at {locked.title}", changes={"status": [OFFERED, REGISTERED]})
        return fresh

    confirmed = run_locked(reg.event_id, apply)
    if confirmed is None:
        raise EventError("Sorry, this offer expired and the seat has been offered to the next person.")
    return confirmed


def _expire(event: Event, reg: Registration, actor) -> None:
    reg.status, reg.offer_expires_at, reg.updated_at = EXPIRED, None, utcnow()
    reg.save()
    if reg.contact.email:
        queue_mail(reg.contact.email, f"Your offered seat has passed on: {event.title}", "event_offer_expired",
                   **_mail_context(event, reg))
    record(actor, "registration.expire", reg, summary=f"{reg.contact.name}'s offer for {event.title} expired",
           changes={"status": [OFFERED, EXPIRED]})
    _send_offers(event, actor)


def process_offers(now: dt.datetime | None = None) -> int:
    """Expire unanswered offers whose deadline has passed and offer the seats to the next people."""
    now = now or utcnow()
    due = (Registration.select(Registration.id, Registration.event)
           .where(Registration.status == OFFERED, Registration.offer_expires_at <= now))
    expired = 0
    for row in list(due):
        def apply(locked: Event, rid=row.id):
            fresh = Registration.get_by_id(rid)
            if fresh.status != OFFERED or fresh.offer_expires_at is None or fresh.offer_expires_at > now:
                return 0
            _expire(locked, fresh, None)
            return 1
        expired += run_locked(row.event_id, apply)
    return expired


def move_registration(reg: Registration, *, actor, action: str, position: int | None = None) -> Registration:
    """Staff move a person by hand: ``register`` (needs a free seat), ``wait`` (at ``position``),
    or ``cancel``. The person is mailed and the change audited."""
    if action == "cancel":
        return cancel_registration(reg, actor=actor, by_staff=True)

    def apply(locked: Event):
        fresh = Registration.get_by_id(reg.id)
        old = (fresh.status, fresh.waiting_position)
        if action == "register":
            if fresh.status == REGISTERED:
                raise EventError(f"{fresh.contact.name} is already registered.")
            if fresh.status != OFFERED:
                free = seats_left(locked)
                if free is not None and free <= 0:
                    raise EventError("No seat is free. Raise the capacity, or move someone to the waiting list first.")
            was_waiting = fresh.status == WAITING
            fresh.status, fresh.waiting_position, fresh.registered_at = REGISTERED, None, utcnow()
            fresh.offer_expires_at = fresh.cancelled_at = None
            fresh.save()
            if was_waiting:
                compact_waiting(locked)
        elif action == "wait":
            if not locked.waiting_list and fresh.status != WAITING:
                raise EventError("This event has no waiting list: turn it on in the event's settings first.")
            held = fresh.holds_seat
            place_in_waiting(locked, fresh, position)
            fresh = Registration.get_by_id(reg.id)
            if held:
                _send_offers(locked, actor)
                fresh = Registration.get_by_id(reg.id)
        else:
            raise EventError(f"Unknown action {action!r}.")
        fresh.updated_at = utcnow()
        fresh.save()
        _registration_mail(locked, fresh, by_staff=True)
        record(actor, "registration.move", fresh, summary=f"Moved {fresh.contact.name} at {locked.title}",
               changes={"status": [old[0], fresh.status], "waiting_position": [old[1], fresh.waiting_position]})
        return fresh

    return run_locked(reg.event_id, apply)


def registration_of(event: Event, contact: Contact | None) -> Registration | None:
    if contact is None:
        return None
    return Registration.get_or_none(Registration.event == event, Registration.contact == contact)


def counts(event: Event) -> dict[str, int]:
    """Return the number of registrations per status, plus attended."""
    rows = (Registration.select(Registration.status, peewee.fn.COUNT(Registration.id).alias("n"))
            .where(Registration.event == event).group_by(Registration.status))
    found = {r.status: r.n for r in rows}
    found["attended"] = Registration.select().where(Registration.event == event,
                                                    Registration.checked_in_at.is_null(False)).count()
    for key in (REGISTERED, WAITING, OFFERED, CANCELLED_REG, EXPIRED):
        found.setdefault(key, 0)
    return found


def participants(event: Event, *, status: str = "", q: str = ""):
    """Return the event's registrations with contact and city, seat holders first, then the queue."""
    query = (Registration.select(Registration, Contact, City)
             .join(Contact)
             .join(City, peewee.JOIN.LEFT_OUTER, on=(Contact.city == City.id))
             .where(Registration.event == event))
    if status:
        query = query.where(Registration.status == status)
    if q:
        query = query.where(Contact.name.contains(q.strip()) | Contact.organisation.contains(q.strip()))
    order = peewee.Case(Registration.status, ((REGISTERED, 0), (OFFERED, 1), (WAITING, 2)), 3)
    return query.order_by(order, Registration.waiting_position, Contact.name)


# --- invitations ----------------------------------------------------------------------------------

def filter_contacts(*, sector: str = "", region: str = "", country: str = "", city_id=None, tag: str = "",
                    attendance: str = "", q: str = ""):
    """Return contacts matching the invitation filters.

    ``attendance``: ``any`` (attended at least one event), ``none`` (never attended) or an event id
    (attended that event).
    """
    query = (Contact.select(Contact, City).join(City, peewee.JOIN.LEFT_OUTER, on=(Contact.city == City.id))
             .order_by(Contact.name))
    if sector:
        query = query.where(Contact.sector == sector)
    if region:
        query = query.where(City.region == region)
    if country:
        query = query.where(City.country == country.upper())
    if city_id:
        query = query.where(Contact.city == int(city_id))
    if q:
        query = query.where(Contact.name.contains(q) | Contact.organisation.contains(q))
    attended = Registration.select(Registration.contact).where(Registration.checked_in_at.is_null(False))
    if attendance == "any":
        query = query.where(Contact.id.in_(attended))
    elif attendance == "none":
        query = query.where(Contact.id.not_in(attended))
    elif attendance.isdigit():
        query = query.where(Contact.id.in_(attended.where(Registration.event == int(attendance))))
    contacts = list(query)
    if tag:
        needle = tag.strip().lower()
        contacts = [c for c in contacts if needle in [t.lower() for t in c.tags]]
    return contacts


def why_not_invitable(contact: Contact) -> str | None:
    if not contact.email:
        return "no email address"
    if contact.do_not_contact:
        return "asked not to be contacted"
    if not contact.accepts_event_invitations:
        return "does not accept event invitations"
    return None


def send_invitations(event: Event, contacts, *, actor, message: str = "") -> tuple[list[Invitation], list[tuple]]:
    """Invite contacts personally; return (invitations sent, [(contact, reason skipped)])."""
    if event.status not in (PUBLISHED, DRAFT):
        raise EventError("Invitations can only be sent for a draft or published event.")
    sent, skipped = [], []
    with database.atomic():
        for contact in contacts:
            reason = why_not_invitable(contact)
            if reason is None and Invitation.select().where(Invitation.event == event,
                                                            Invitation.contact == contact).exists():
                reason = "already invited"
            if reason is None and registration_of(event, contact) is not None and \
                    registration_of(event, contact).status in ACTIVE_REGISTRATION:
                reason = "already registered"
            if reason:
                skipped.append((contact, reason))
                continue
            inv = Invitation.create(event=event, contact=contact, invited_by=actor.id if actor else None,
                                    message=message.strip())
            _invitation_mail(event, inv, reminder=False)
            sent.append(inv)
        record(actor, "event.invite", event, summary=f"Invited {len(sent)} people to {event.title}",
               changes={"invited": [i.contact_id for i in sent], "skipped": [c.id for c, _ in skipped]})
    return sent, skipped


def invitation_link(inv: Invitation) -> str:
    return absolute_url("events.answer_invitation", token=make_token(inv, INVITATION_SALT))


def _invitation_mail(event: Event, inv: Invitation, *, reminder: bool) -> None:
    subject = (f"Reminder: you are invited to {event.title}" if reminder else f"Invitation: {event.title}")
    queue_mail(inv.contact.email, subject, "event_invitation_reminder" if reminder else "event_invitation",
               invitation=inv, link=invitation_link(inv), contact=inv.contact, **_mail_context(event))


def answer_invitation(inv: Invitation, *, accept: bool, details: dict | None = None):
    """Accept (register, maybe on the waiting list) or decline an invitation."""
    event = inv.event
    if accept:
        reg, created = register(event, contact=inv.contact, source="invitation", details=details, invited=True)
        return reg, created
    with database.atomic():
        if inv.status == DECLINED:
            return None, False
        old = inv.status
        inv.status, inv.answered_at = DECLINED, utcnow()
        inv.save()
        record(None, "invitation.decline", inv, summary=f"{inv.contact.name} declined {event.title}",
               changes={"status": [old, DECLINED]})
    return None, True


def send_invitation_reminders(now: dt.datetime | None = None) -> int:
    """Remind invitees who have not answered, once per the event's chosen interval."""
    now = now or utcnow()
    rows = (Invitation.select(Invitation, Event, Contact).join(Event).switch(Invitation).join(Contact)
            .where(Invitation.status == PENDING, Event.status == PUBLISHED, Event.starts_at > now,
                   Event.invitation_reminder_days > 0, Invitation.reminders_sent < MAX_INVITATION_REMINDERS))
    sent = 0
    for inv in rows:
        event = inv.event
        if event.registration_closes_at and event.registration_closes_at <= now:
            continue
        if not inv.contact.may_be_invited or registration_of(event, inv.contact) is not None:
            continue
        last = inv.last_reminded_at or inv.sent_at
        if last > now - dt.timedelta(days=event.invitation_reminder_days):
            continue
        with database.atomic():
            # The conditional update makes two overlapping runs send one reminder, not two.
            claimed = (Invitation.update(last_reminded_at=now, reminders_sent=Invitation.reminders_sent + 1)
                       .where(Invitation.id == inv.id, Invitation.reminders_sent == inv.reminders_sent)
                       .execute())
            if claimed:
                _invitation_mail(event, inv, reminder=True)
                sent += 1
    return sent


# --- reminders ------------------------------------------------------------------------------------

def send_reminders(now: dt.datetime | None = None, days: int | None = None) -> int:
    """Mail each registered person a reminder (with an .ics) the event's ``reminder_days`` before it.

    Each registration gets one reminder however often this runs.
    """
    now = now or utcnow()
    horizon = now + dt.timedelta(days=days if days is not None else 365)
    rows = (Registration.select(Registration, Event, Contact).join(Event).switch(Registration).join(Contact)
            .where(Registration.status == REGISTERED, Registration.reminder_sent_at.is_null(),
                   Event.status == PUBLISHED, Event.starts_at > now, Event.starts_at <= horizon))
    sent = 0
    for reg in rows:
        event = reg.event
        lead = days if days is not None else event.reminder_days
        if event.starts_at > now + dt.timedelta(days=lead) or not reg.contact.email:
            continue
        with database.atomic():
            claimed = (Registration.update(reminder_sent_at=now)
                       .where(Registration.id == reg.id, Registration.reminder_sent_at.is_null()).execute())
            if claimed:
                queue_mail(reg.contact.email, f"Reminder: {event.title}, {format_local(event, event.starts_at)}",
                           "event_reminder", attachments=_ics_attachment(event), **_mail_context(event, reg))
                sent += 1
    return sent


# --- check-in -------------------------------------------------------------------------------------

def check_in(reg: Registration, *, actor, present: bool = True) -> Registration:
    """Mark a registered person present (or undo it)."""
    if reg.status != REGISTERED:
        raise EventError(f"{reg.contact.name} is not registered ({reg.status_label.lower()}): "
                         "register them first, or add them as a walk-in.")
    with database.atomic():
        old = reg.checked_in_at
        reg.checked_in_at = utcnow() if present else None
        reg.save()
        record(actor, "registration.check_in" if present else "registration.check_in_undo", reg,
               summary=f"{reg.contact.name} {'present' if present else 'not present'} at {reg.event.title}",
               changes={"checked_in_at": [old, reg.checked_in_at]})
    return reg


def add_walk_in(event: Event, *, actor, name: str, email: str = "", organisation: str = "", sector: str = "",
                city: City | None = None) -> Registration:
    """Register someone who turned up without registering, and mark them present."""
    if event.status not in (PUBLISHED, COMPLETED):
        raise EventError("Walk-ins can only be added to a published event.")

    def apply(locked: Event):
        who = find_or_create_contact(name=name, email=email or None, organisation=organisation, sector=sector,
                                     city=city)
        existing = Registration.get_or_none(Registration.event == locked, Registration.contact == who)
        if existing is not None and existing.status == REGISTERED:
            existing.checked_in_at = existing.checked_in_at or utcnow()
            existing.save()
            return existing
        free = seats_left(locked)
        if free is not None and free <= 0:
            raise EventError(f"All {locked.capacity} seats are taken. Raise the capacity on the event's page "
                             "to add walk-ins.")
        now = utcnow()
        values = dict(status=REGISTERED, source="walk_in", registered_at=now, checked_in_at=now,
                      waiting_position=None, organisation=organisation, sector=sector or who.sector,
                      cancelled_at=None, offer_expires_at=None, updated_at=now)
        if existing is not None:
            was_waiting = existing.status == WAITING
            for key, value in values.items():
                setattr(existing, key, value)
            existing.save()
            reg = existing
            if was_waiting:
                compact_waiting(locked)
        else:
            reg = Registration.create(event=locked, contact=who, **values)
        record(actor, "registration.walk_in", reg, summary=f"Walk-in {who.name} at {locked.title}",
               changes={"status": REGISTERED, "source": "walk_in"})
        return reg

    return run_locked(event.id, apply)


# --- reports --------------------------------------------------------------------------------------

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
                label = _country_name(key) if key else "No city"
            else:
                key = city.region if city else ""
                label = regions.get(key, key) if key else "No city"
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
        total = {"label": "Total", **{k: sum(r[k] for r in ordered)
                                       for k in ("registered", "waiting", "attended", "no_show")}}
        tables[dimension] = {"rows": ordered, "total": total}
    return {"tables": tables, "ended": ended}


def _country_name(code: str) -> str:
    import pycountry

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
            label = f"{city.name} ({city.country})" if city else "No city"
        row = table.setdefault(label, {"label": label, "counts": defaultdict(int), "total": 0})
        row["counts"][label_period] += 1
        row["total"] += 1
    periods = sorted(periods)
    ordered = sorted(table.values(), key=lambda r: (-r["total"], r["label"]))
    return {"periods": periods, "rows": ordered,
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
    if not _is_staff(viewer):
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
    result = []
    for event in events:
        c = counts(event)
        taken = c[REGISTERED] + c[OFFERED]
        result.append({"event": event, "taken": taken, "capacity": event.capacity, "waiting": c[WAITING],
                       "percent": min(100, round(100 * taken / event.capacity)) if event.capacity else None})
    return result
