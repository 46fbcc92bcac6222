"""Events: register, cancel, offer freed seats, move people, remind; counts and lists."""

from __future__ import annotations

import datetime as dt

import peewee
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.accounts.services import normalise_email
from crm.audit.services import record
from crm.contacts.models import Contact
from crm.db import database, utcnow
from crm.events.calendar import ics_attachment
from crm.events.capacity import (
    compact_waiting,
    next_offers,
    next_position,
    place_in_waiting,
    run_locked,
    seats_left,
)
from crm.events.errors import EventError, RegistrationRefused
from crm.events.links import mail_context, mail_time
from crm.events.models import (
    ACCEPTED,
    CANCELLED,
    CANCELLED_REG,
    COMPLETED,
    EXPIRED,
    OFFERED,
    PENDING,
    PUBLISHED,
    REGISTERED,
    WAITING,
    Event,
    Invitation,
    Registration,
)
from crm.events.timezones import format_local
from crm.events.visibility import contact_for_user
from crm.mail import queue_mail
from crm.membership.models import City

ACTIVE_REGISTRATION = (REGISTERED, WAITING, OFFERED)


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


def refusal(event: Event, contact: Contact | None = None, *, invited: bool = False) -> RegistrationRefused | None:
    """Return why a registration would be refused now (ignoring seats), or None."""
    now = utcnow()
    secretariat = current_app.config.get("SECRETARIAT_EMAIL") or _("the secretariat")
    if event.status == CANCELLED:
        return RegistrationRefused("cancelled", _("This event has been cancelled, so it takes no registrations."))
    if event.status == COMPLETED or event.starts_at <= now:
        return RegistrationRefused("past", _("This event has already taken place (it started %(start)s), so "
                                             "registration is over.", start=format_local(event, event.starts_at)))
    if event.status != PUBLISHED:
        return RegistrationRefused("not_published", _("This event is not open for registration yet."))
    if event.visibility == "invitation" and not invited:
        has_invitation = contact is not None and Invitation.select().where(
            Invitation.event == event, Invitation.contact == contact).exists()
        if not has_invitation:
            return RegistrationRefused("invitation_only", _(
                "This event is by invitation only, and we have no invitation for you. If you think you should take "
                "part, write to %(secretariat)s.", secretariat=secretariat))
    if event.registration_opens_at and now < event.registration_opens_at:
        return RegistrationRefused("not_open", _("Registration has not opened yet: it opens %(opens)s.",
                                                 opens=format_local(event, event.registration_opens_at)))
    if event.registration_closes_at and now >= event.registration_closes_at:
        return RegistrationRefused("closed", _("Registration closed %(closed)s. Write to %(secretariat)s if you "
                                               "still need to take part.",
                                               closed=format_local(event, event.registration_closes_at),
                                               secretariat=secretariat))
    return None


def _full_refusal(event: Event) -> RegistrationRefused:
    return RegistrationRefused("full", _("This event is full: all %(capacity)s seats are taken and it has no "
                                         "waiting list. Write to the secretariat if you need to take part.",
                                         capacity=event.capacity))


def _registration_mail(event: Event, reg: Registration, *, by_staff: bool = False) -> None:
    if not reg.contact.email:
        return
    ctx = mail_context(event, reg)
    if reg.status == REGISTERED:
        queue_mail(reg.contact.email, _l("You are registered: %(title)s", title=event.title), "event_registered",
                   attachments=ics_attachment(event), by_staff=by_staff, **ctx)
    elif reg.status == WAITING:
        queue_mail(reg.contact.email, _l("Waiting list, number %(position)s: %(title)s",
                                         position=reg.waiting_position, title=event.title), "event_waiting", by_staff=by_staff, **ctx)
    elif reg.status == OFFERED:
        queue_mail(reg.contact.email, _l("A seat is free for you: %(title)s", title=event.title), "event_offer",
                   deadline=mail_time(event, reg.offer_expires_at), **ctx)
    elif reg.status == CANCELLED_REG:
        queue_mail(reg.contact.email, _l("Registration cancelled: %(title)s", title=event.title),
                   "event_registration_cancelled", by_staff=by_staff, **ctx)


def send_offers(event: Event, actor) -> list[Registration]:
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
            raise EventError(_("This registration is already cancelled."))
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
            send_offers(locked, actor)
        return fresh

    return run_locked(reg.event_id, apply)


def confirm_offer(reg: Registration, *, actor=None) -> Registration:
    """Take an offered seat before its deadline."""

    def apply(locked: Event):
        fresh = Registration.get_by_id(reg.id)
        if fresh.status == REGISTERED:
            return fresh
        if fresh.status != OFFERED:
            raise EventError(_("This offer is no longer open. If you still want to take part, register again: "
                               "you will join the waiting list if the event is full."))
        if fresh.offer_expires_at and fresh.offer_expires_at <= utcnow():
            _expire(locked, fresh, actor)
            return None  # committed: the seat passes on now, not at the next cron run
        if locked.status != PUBLISHED or locked.starts_at <= utcnow():
            raise EventError(_("This event is no longer taking registrations."))
        fresh.status, fresh.registered_at, fresh.updated_at = REGISTERED, utcnow(), utcnow()
        fresh.offer_expires_at = None
        fresh.save()
        _registration_mail(locked, fresh)
        record(actor, "registration.confirm_offer", fresh, summary=f"{fresh.contact.name} took the offered seat "
               f"at {locked.title}", changes={"status": [OFFERED, REGISTERED]})
        return fresh

    confirmed = run_locked(reg.event_id, apply)
    if confirmed is None:
        raise EventError(_("Sorry, this offer expired and the seat has been offered to the next person."))
    return confirmed


def _expire(event: Event, reg: Registration, actor) -> None:
    reg.status, reg.offer_expires_at, reg.updated_at = EXPIRED, None, utcnow()
    reg.save()
    if reg.contact.email:
        queue_mail(reg.contact.email, _l("Your offered seat has passed on: %(title)s", title=event.title), "event_offer_expired",
                   **mail_context(event, reg))
    record(actor, "registration.expire", reg, summary=f"{reg.contact.name}'s offer for {event.title} expired",
           changes={"status": [OFFERED, EXPIRED]})
    send_offers(event, actor)


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
                raise EventError(_("%(name)s is already registered.", name=fresh.contact.name))
            if fresh.status != OFFERED:
                free = seats_left(locked)
                if free is not None and free <= 0:
                    raise EventError(_("No seat is free. Raise the capacity, or move someone to the waiting list first."))
            was_waiting = fresh.status == WAITING
            fresh.status, fresh.waiting_position, fresh.registered_at = REGISTERED, None, utcnow()
            fresh.offer_expires_at = fresh.cancelled_at = None
            fresh.save()
            if was_waiting:
                compact_waiting(locked)
        elif action == "wait":
            if not locked.waiting_list and fresh.status != WAITING:
                raise EventError(_("This event has no waiting list: turn it on in the event's settings first."))
            held = fresh.holds_seat
            place_in_waiting(locked, fresh, position)
            fresh = Registration.get_by_id(reg.id)
            if held:
                send_offers(locked, actor)
                fresh = Registration.get_by_id(reg.id)
        else:
            raise EventError(_("Unknown action %(action)s.", action=repr(action)))
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
    found["over_capacity"] = Registration.select().where(Registration.event == event,
                                                         Registration.source == "walk_in_over",
                                                         Registration.status == REGISTERED).count()
    for key in (REGISTERED, WAITING, OFFERED, CANCELLED_REG, EXPIRED):
        found.setdefault(key, 0)
    return found


# What the participants page shows of each row (building every column of three models was half its time).
PAGE_COLUMNS = (Registration.id, Registration.event, Registration.contact, Registration.status,
                Registration.waiting_position, Registration.offer_expires_at, Registration.checked_in_at,
                Registration.organisation, Registration.accessibility_needs, Registration.dietary_needs,
                Contact.id, Contact.name, Contact.email, Contact.organisation, Contact.city, City.id, City.name)


def participants(event: Event, *, status: str = "", q: str = "", page_columns: bool = False):
    """Return the event's registrations with contact and city, seat holders first, then the queue
    (``page_columns``: only what the participants page shows)."""
    query = (Registration.select(*(PAGE_COLUMNS if page_columns else (Registration, Contact, City)))
             .join(Contact)
             .join(City, peewee.JOIN.LEFT_OUTER, on=(Contact.city == City.id))
             .where(Registration.event == event))
    if status:
        query = query.where(Registration.status == status)
    if q:
        query = query.where(Contact.name.contains(q.strip()) | Contact.organisation.contains(q.strip()))
    order = peewee.Case(Registration.status, ((REGISTERED, 0), (OFFERED, 1), (WAITING, 2)), 3)
    return query.order_by(order, Registration.waiting_position, Contact.name)


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
                queue_mail(reg.contact.email, _l("Reminder: %(title)s, %(start)s", title=event.title,
                                                 start=mail_time(event, event.starts_at)),
                           "event_reminder", attachments=ics_attachment(event), **mail_context(event, reg))
                sent += 1
    return sent
