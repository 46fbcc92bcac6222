"""Events: choose contacts, invite them personally, take their answers, remind them."""

from __future__ import annotations

import datetime as dt

import peewee
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.audit.services import record
from crm.contacts.models import Contact
from crm.db import database, utcnow
from crm.events.errors import EventError
from crm.events.links import INVITATION_SALT, absolute_url, mail_context, make_token
from crm.events.models import (
    DECLINED,
    DRAFT,
    OFFERED,
    PENDING,
    PUBLISHED,
    REGISTERED,
    WAITING,
    Event,
    Invitation,
    Registration,
)
from crm.events.registration import ACTIVE_REGISTRATION, register, registration_of
from crm.i18n import LANGUAGES
from crm.mail import FAILED, QUEUED, SENDING, SENT, OutboxMail, queue_mail
from crm.membership.models import City

MAX_INVITATION_REMINDERS = 3


def filter_contacts(*, sector: str = "", region: str = "", country: str = "", city_id=None, tag: str = "",
                    attendance: str = "", q: str = "", ids=None):
    """Return contacts matching the invitation filters.

    ``attendance``: ``any`` (attended at least one event), ``none`` (never attended) or an event id
    (attended that event). ``ids``: only these contacts (a selection made on the contact list).
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
    if ids is not None:
        query = query.where(Contact.id.in_(ids), Contact.erased_at.is_null())
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
        return _("no email address")
    if contact.do_not_contact:
        return _("asked not to be contacted")
    if not contact.accepts_event_invitations:
        return _("does not accept event invitations")
    return None


def send_invitations(event: Event, contacts, *, actor, message: str = "") -> tuple[list[Invitation], list[tuple]]:
    """Invite contacts personally; return (invitations sent, [(contact, reason skipped)])."""
    if event.status not in (PUBLISHED, DRAFT):
        raise EventError(_("Invitations can only be sent for a draft or published event."))
    sent, skipped = [], []
    with database.atomic():
        for contact in contacts:
            reason = why_not_invitable(contact)
            if reason is None and Invitation.select().where(Invitation.event == event,
                                                            Invitation.contact == contact).exists():
                reason = _("already invited")
            if reason is None and registration_of(event, contact) is not None and \
                    registration_of(event, contact).status in ACTIVE_REGISTRATION:
                reason = _("already registered")
            if reason:
                skipped.append((contact, reason))
                continue
            inv = Invitation.create(event=event, contact=contact, invited_by=actor.id if actor else None,
                                    message=(message or "").strip())
            _invitation_mail(event, inv, reminder=False)
            sent.append(inv)
        record(actor, "event.invite", event, summary=f"Invited {len(sent)} people to {event.title}",
               changes={"invited": [i.contact_id for i in sent], "skipped": [c.id for c, _ in skipped]})
    return sent, skipped


INVITATION_TEMPLATES = ("event_invitation", "event_invitation_reminder")
DELIVERY_LABELS = {QUEUED: _l("Mail queued, not delivered yet"), SENDING: _l("Mail being sent"),
                   SENT: _l("Mail delivered to the mail server"), FAILED: _l("Mail not delivered: given up")}


def _invitation_subject(event: Event, *, reminder: bool):
    """The subject of an invitation (or its reminder), rendered in the recipient's language."""
    if reminder:
        return _l("Reminder: you are invited to %(title)s", title=event.title)
    return _l("Invitation: %(title)s", title=event.title)


def _invitation_subjects(event: Event) -> list[str]:
    """Every subject an invitation mail of ``event`` may carry, in each language of the interface."""
    subjects = []
    for code in LANGUAGES:
        with force_locale(code):
            subjects += [str(_invitation_subject(event, reminder=False)), str(_invitation_subject(event, reminder=True))]
    return subjects


def delivery_status(event: Event) -> dict[int, OutboxMail]:
    """Return, by invitation id, the outbox row of the latest mail sent for it (invitation or reminder).

    Read from the outbox (recipient, template and subject), so what the page says is what happened to the mail.
    """
    rows = list(Invitation.select(Invitation, Contact).join(Contact).where(Invitation.event == event))
    emails = {(inv.contact.email or "").strip(): inv for inv in rows if inv.contact.email}
    if not emails:
        return {}
    mails = (OutboxMail.select(OutboxMail.id, OutboxMail.recipient, OutboxMail.status, OutboxMail.last_error,
                               OutboxMail.sent_at, OutboxMail.created_at)
             .where(OutboxMail.template.in_(INVITATION_TEMPLATES), OutboxMail.subject.in_(_invitation_subjects(event)),
                    OutboxMail.recipient.in_(list(emails)))
             .order_by(OutboxMail.id))
    found = {}
    for mail in mails:
        inv = emails.get(mail.recipient)
        if inv is not None and mail.created_at >= inv.sent_at - dt.timedelta(minutes=1):
            found[inv.id] = mail  # the latest wins
    return found


def delivery_counts(event: Event, statuses: dict[int, OutboxMail] | None = None) -> dict[str, int]:
    """Return how many invitation mails of ``event`` are queued, being sent, delivered or given up."""
    statuses = delivery_status(event) if statuses is None else statuses
    counts = {QUEUED: 0, SENDING: 0, SENT: 0, FAILED: 0}
    for mail in statuses.values():
        counts[mail.status] = counts.get(mail.status, 0) + 1
    return counts


# A mailing to more people than this asks for a confirmation, with a preview and the count, first.
CONFIRM_ABOVE = 5
SELECTION_AT_MOST = 500  # contacts chosen on the contact list and brought to an event's invitation page at once


def parse_selection(text: str | None) -> list[int]:
    """Return the contact ids of a selection brought from the contact list ("12,15,40"), at most SELECTION_AT_MOST."""
    ids = [int(part) for part in (text or "").split(",") if part.strip().isdigit()]
    return list(dict.fromkeys(ids))[:SELECTION_AT_MOST]


def pipeline(event: Event) -> dict[str, int]:
    """Where the invitations of ``event`` stand, as Indico shows it: invited, then answered yes (registered or
    on the waiting list), answered no, or no answer yet."""
    rows = (Invitation
            .select(Invitation.status, Registration.status.alias("registration"))
            .join(Registration, peewee.JOIN.LEFT_OUTER,
                  on=(Registration.event == Invitation.event) & (Registration.contact == Invitation.contact))
            .where(Invitation.event == event)
            .dicts())
    stages = {"invited": 0, "accepted": 0, "registered": 0, "waiting": 0, "declined": 0, "no_answer": 0}
    for row in rows:
        stages["invited"] += 1
        registered = row["registration"]
        if row["status"] == DECLINED:
            stages["declined"] += 1
        elif row["status"] == PENDING and registered is None:
            stages["no_answer"] += 1
        else:
            stages["accepted"] += 1
        if registered == REGISTERED:
            stages["registered"] += 1
        elif registered in (WAITING, OFFERED):
            stages["waiting"] += 1
    return stages


def preview_invitation(event: Event, contact: Contact, message: str = "") -> str:
    """The text of the invitation mail ``contact`` would get (nothing stored, no working link)."""
    from flask import current_app, render_template

    draft = Invitation(event=event, contact=contact, message=message.strip(), sent_at=utcnow())
    return render_template("mail/event_invitation.txt", subject=_invitation_subject(event, reminder=False),
                           invitation=draft, link=_("[their personal link to accept or decline]"), contact=contact,
                           base_url=current_app.config["BASE_URL"].rstrip("/"), **mail_context(event))


def invitation_link(inv: Invitation) -> str:
    return absolute_url("events.answer_invitation", token=make_token(inv, INVITATION_SALT))


def _invitation_mail(event: Event, inv: Invitation, *, reminder: bool) -> None:
    queue_mail(inv.contact.email, _invitation_subject(event, reminder=reminder), "event_invitation_reminder" if reminder else "event_invitation",
               invitation=inv, link=invitation_link(inv), contact=inv.contact, **mail_context(event))


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
