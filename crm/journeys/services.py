"""Member journeys, read from the other features' records: timelines, engagement and dormant members.

Nothing here writes. Each timeline is a fixed number of queries whatever the number of records (one per
kind of record, joined to what its line names), so a city with ten years of history costs what a new
member costs. What counts as a city's *activity* (its people acting, not the secretariat acting on it) is
defined once, in ``ACTIVITY_SOURCES``, and used alike by the engagement summary and the dormant list.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from itertools import groupby
from zoneinfo import ZoneInfo

import peewee
from babel.dates import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from peewee import fn

from crm.audit.models import AuditEntry
from crm.contacts.models import Contact, ContactMerge
from crm.core.zones import in_zone
from crm.db import database, utcnow
from crm.events.models import (
    DRAFT,
    INVITATION_STATUSES,
    Event,
    Invitation,
    Registration,
    Session,
    SessionSpeaker,
)
from crm.i18n import current_language
from crm.incidents.models import Incident
from crm.lessons.models import Lesson
from crm.mail import STATUSES as MAIL_STATUSES
from crm.mail import OutboxMail
from crm.mailings.models import Delivery
from crm.membership.models import CITY_STATUSES, Application, ApplicationEvent, City, CityStatusChange
from crm.workspace.models import ADVICE_STATUSES, AdviceRequest, Workspace

# kind -> (icon, label). The icon is decoration (the label is what screen readers and the filter use).
KINDS = OrderedDict([  # symbols that common system fonts carry (no emoji font on many desktops)
    ("application", ("✍", _l("Application"))),
    ("status", ("◆", _l("Membership status"))),
    ("record", ("✎", _l("Record"))),
    ("incident", ("⚠", _l("Incident"))),
    ("invitation", ("✉", _l("Invitation"))),
    ("registration", ("☑", _l("Registration"))),
    ("attendance", ("✓", _l("Attended"))),
    ("speaker", ("★", _l("Speaker"))),
    ("lesson", ("¶", _l("Lesson"))),
    ("workspace", ("⚑", _l("Workspace"))),
    ("advice", ("⇄", _l("Advice"))),
    ("mail", ("➤", _l("Mail"))),
])

APPLICATION_ACTIONS = {"submitted": _l("submitted"), "info_requested": _l("more information requested"),
                       "answered": _l("the applicant answered"), "approved": _l("approved"),
                       "declined": _l("declined"), "withdrawn": _l("withdrawn by the applicant")}
ACTIVE_APPLICATION_ACTIONS = ("submitted", "answered")
REGISTRATION_WORDS = {"registered": _l("registered"), "waiting": _l("on the waiting list"),
                      "offered": _l("offered a seat"), "cancelled": _l("cancelled"), "expired": _l("offer expired")}
LIMIT = 400  # newest entries of each kind shown (a page for people, not an export)
ATTENDED_DAYS = 365  # "events attended in the last 12 months"


@dataclass(frozen=True)
class Entry:
    """One line of a timeline: when, what kind, a one-line text and where to read more."""

    at: dt.datetime  # naive UTC; a date alone becomes its midnight
    kind: str
    text: str
    endpoint: str = ""
    args: tuple = ()  # (name, value) pairs for url_for
    activity: bool = False  # the city or person acted (rather than the secretariat acting on them)
    note: str = ""
    day_only: bool = False  # a date with no time (an attack's day, a status's effective day): never shifted
    local_at: dt.datetime | None = None  # ``at`` in the reader's time zone, set by by_month

    @property
    def shown_at(self) -> dt.datetime:
        return self.local_at or self.at

    @property
    def icon(self) -> str:
        return KINDS[self.kind][0]

    @property
    def label(self) -> str:
        return KINDS[self.kind][1]

    @property
    def url_args(self) -> dict:
        return dict(self.args)


@dataclass
class Month:
    """The entries of one calendar month, newest first."""

    year: int
    month: int
    entries: list[Entry] = field(default_factory=list)

    @property
    def title(self) -> str:
        # the month's name in the page's language ("March 2025" in English, as strftime gives it), as a heading
        title = format_date(dt.date(self.year, self.month, 1), "LLLL y", locale=current_language())
        return title[:1].upper() + title[1:]

    @property
    def anchor(self) -> str:
        return f"m{self.year}-{self.month:02d}"


@dataclass(frozen=True)
class Engagement:
    """How engaged a city (or a person) is: last activity and a few counts."""

    last_activity_at: dt.datetime | None
    events_attended_12m: int
    lessons_published: int = 0
    open_workspaces: int = 0
    contacts: int = 0
    mails: int | None = None  # staff only


def _as_datetime(value) -> dt.datetime | None:
    """A stored date, datetime or (SQLite aggregate) ISO string as a naive UTC datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(dt.UTC).replace(tzinfo=None)
    return dt.datetime.combine(value, dt.time())


def is_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_secretariat)


def can_view_city_journey(user, city: City) -> bool:
    """Staff see every city's journey; a member city's officials see their own city's, and no other."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_secretariat or (user.role == "member" and user.city_id == city.id)


def months_ago(now: dt.datetime, months: int) -> dt.datetime:
    """``now`` minus a number of calendar months (the day clamped to the shorter month's end)."""
    year, month = divmod(now.year * 12 + now.month - 1 - months, 12)
    month += 1
    days = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
            31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return now.replace(year=year, month=month, day=min(now.day, days))


def by_month(entries: list[Entry], zone: ZoneInfo | None = None) -> list[Month]:
    """Group entries (newest first) by calendar month, in ``zone`` (the reader's) when given, else in UTC."""
    if zone is not None:
        entries = [e if e.day_only else replace(e, local_at=in_zone(e.at, zone).replace(tzinfo=None))
                   for e in entries]
    months = []
    for (year, month), items in groupby(entries, key=lambda e: (e.shown_at.year, e.shown_at.month)):
        months.append(Month(year, month, list(items)))
    return months


def _newest_first(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.at, KINDS_ORDER[e.kind]), reverse=True)


KINDS_ORDER = {kind: i for i, kind in enumerate(KINDS)}


def _names(people: list[str], most: int = 6) -> str:
    shown = ", ".join(people[:most])
    return _("%(names)s and %(count)s more", names=shown, count=len(people) - most) if len(people) > most else shown


# --- a city's timeline ----------------------------------------------------------------------------

def city_timeline(city: City, viewer) -> list[Entry]:
    """Everything that happened in ``city``'s membership that ``viewer`` may see, newest first."""
    staff = is_staff(viewer)
    entries: list[Entry] = []
    emails: set[str] = set()
    entries += _application_entries(city, staff, emails)
    entries += _status_entries(city)
    entries += _incident_entries(city)
    entries += _event_entries(Contact.city == city, staff, per_event=True)
    entries += _lesson_entries(city)
    entries += _workspace_entries(city, staff)
    if staff:
        entries += _record_entries(city)
        city_emails = (Contact.select(Contact.email)
                       .where(Contact.city == city, Contact.email.is_null(False)))
        entries += _mail_entries(OutboxMail.recipient.in_(city_emails) | OutboxMail.recipient.in_(sorted(emails)))
    return _newest_first(entries)


def _application_entries(city: City, staff: bool, emails: set[str]) -> list[Entry]:
    rows = (ApplicationEvent
            .select(ApplicationEvent, Application)
            .join(Application)
            .where(Application.city == city)
            .order_by(ApplicationEvent.created_at.desc())
            .limit(LIMIT))
    entries = []
    for event in rows:
        application = event.application
        emails.update(e.lower() for e in (application.applicant_email, application.focal_email) if e)
        action = APPLICATION_ACTIONS.get(event.action, event.action)
        text = (_("Application %(reference)s: %(action)s by %(actor)s", reference=application.reference,
                  action=action, actor=event.actor_label) if staff and event.actor_label
                else _("Application %(reference)s: %(action)s", reference=application.reference, action=action))
        entries.append(Entry(event.created_at, "application", text,
                             "membership.application_detail", (("application_id", application.id),),
                             activity=event.action in ACTIVE_APPLICATION_ACTIONS))
    return entries


def _status_entries(city: City) -> list[Entry]:
    rows = (CityStatusChange
            .select()
            .where(CityStatusChange.city == city)
            .order_by(CityStatusChange.changed_on.desc(), CityStatusChange.id.desc())
            .limit(LIMIT))
    entries = []
    for change in rows:
        # the day the change took effect, at the time it was recorded when that is the same day
        at = (change.created_at if change.created_at and change.created_at.date() == change.changed_on
              else _as_datetime(change.changed_on))
        status = CITY_STATUSES.get(change.status, change.status)
        text = (_("Status: %(status)s (was %(old_status)s)", status=status,
                  old_status=str(CITY_STATUSES.get(change.old_status, change.old_status)).lower())
                if change.old_status else _("Status: %(status)s", status=status))
        entries.append(Entry(at, "status", text, note=change.reason, day_only=at == _as_datetime(change.changed_on)))
    return entries


def _record_entries(city: City) -> list[Entry]:
    """Staff only: the city's record created, edited or merged with another, from the audit log."""
    rows = (AuditEntry
            .select()
            .where(AuditEntry.object_type == "City", AuditEntry.object_id == str(city.id),
                   AuditEntry.action.in_(("city.create", "city.update", "city.merge")))
            .order_by(AuditEntry.id.desc())
            .limit(LIMIT))
    return [Entry(e.created_at, "record", e.summary or e.action, "audit.log",
                  (("object_type", "City"), ("object_id", city.id)), note=e.actor_email)
            for e in rows]


def _incident_entries(city: City) -> list[Entry]:
    rows = (Incident
            .select(Incident.id, Incident.title, Incident.occurred_on, Incident.created_at)
            .where(Incident.city == city)
            .order_by(Incident.id.desc())
            .limit(LIMIT))
    return [Entry(_as_datetime(i.occurred_on) or i.created_at, "incident", _("Incident: %(title)s", title=i.title),
                  "incidents.incident_detail", (("incident_id", i.id),), day_only=i.occurred_on is not None,
                  note="" if i.occurred_on else _("date of the attack not recorded: shown when it was entered"))
            for i in rows]


def _event_entries(who: peewee.Expression, staff: bool, *, per_event: bool) -> list[Entry]:
    """Invitations, registrations, attendance and talks of the contacts ``who`` selects.

    ``per_event`` folds a city's people into one line per event and kind ("Invited to X: A, B, C").
    Officials never see draft events (as on the events pages). Rows are read as tuples of the few columns
    the lines need: a busy city has thousands, and building three models a row would cost most of the page.
    """
    visible = [who] if staff else [who, Event.status != DRAFT]
    invitations = (Invitation
                   .select(Invitation.status, Invitation.sent_at, Invitation.answered_at, Event.id, Event.title,
                           Contact.name)
                   .join(Event).switch(Invitation).join(Contact)
                   .where(*visible)
                   .order_by(Invitation.sent_at.desc())
                   .limit(LIMIT)
                   .tuples())
    registrations = (Registration
                     .select(Registration.status, Registration.created_at, Registration.checked_in_at, Event.id,
                             Event.title, Contact.name)
                     .join(Event).switch(Registration).join(Contact)
                     .where(*visible)
                     .order_by(Registration.created_at.desc())
                     .limit(LIMIT)
                     .tuples())
    talks = (SessionSpeaker
             .select(Session.starts_at, Session.title, Event.id, Event.title, Contact.name)
             .join(Session).join(Event).switch(SessionSpeaker).join(Contact)
             .where(*visible)
             .order_by(Session.starts_at.desc())
             .limit(LIMIT)
             .tuples())
    link = "events.event_detail"
    entries: list[Entry] = []
    if per_event:
        folded: dict[tuple[str, int], dict] = {}

        def fold(kind, event_id, title, at, name, activity):
            item = folded.setdefault((kind, event_id), {"title": title, "at": at, "names": [], "activity": activity})
            item["at"] = min(item["at"], at)
            if name not in item["names"]:
                item["names"].append(name)

        for status, sent_at, answered_at, event_id, title, name in invitations:
            fold("invitation", event_id, title, _as_datetime(sent_at), name, False)
            if answered_at:
                entries.append(Entry(_as_datetime(answered_at), "invitation",
                                     _("%(name)s %(answer)s the invitation to %(event)s", name=name, event=title,
                                       answer=str(INVITATION_STATUSES.get(status, status)).lower()),
                                     link, (("event_id", event_id),), activity=True))
        for status, created_at, checked_in_at, event_id, title, name in registrations:
            word = REGISTRATION_WORDS.get(status, status)
            fold("registration", event_id, title, _as_datetime(created_at),
                 name if status == "registered" else _("%(name)s (%(status)s)", name=name, status=word), True)
            if checked_in_at:
                fold("attendance", event_id, title, _as_datetime(checked_in_at), name, True)
        for starts_at, _session_title, event_id, title, name in talks:
            fold("speaker", event_id, title, _as_datetime(starts_at), name, True)
        lines = {"invitation": _l("Invited to %(event)s: %(names)s"),
                 "registration": _l("Registered for %(event)s: %(names)s"),
                 "attendance": _l("Attended %(event)s: %(names)s"), "speaker": _l("Speaking at %(event)s: %(names)s")}
        for (kind, event_id), item in folded.items():
            text = str(lines[kind]) % {"event": item["title"], "names": _names(item["names"])}
            entries.append(Entry(item["at"], kind, text,
                                 link, (("event_id", event_id),), activity=item["activity"]))
        return entries
    for status, sent_at, answered_at, event_id, title, _name in invitations:
        args = (("event_id", event_id),)
        entries.append(Entry(_as_datetime(sent_at), "invitation", _("Invited to %(event)s", event=title), link, args))
        if answered_at:
            entries.append(Entry(_as_datetime(answered_at), "invitation",
                                 _("%(answer)s the invitation to %(event)s", event=title,
                                   answer=INVITATION_STATUSES.get(status, status)), link, args,
                                 activity=True))
    for status, created_at, checked_in_at, event_id, title, _name in registrations:
        args = (("event_id", event_id),)
        word = REGISTRATION_WORDS.get(status, status)
        text = (_("Registered for %(event)s", event=title) if status == "registered"
                else _("Registered for %(event)s (now %(status)s)", event=title, status=word))
        entries.append(Entry(_as_datetime(created_at), "registration", text, link, args, activity=True))
        if checked_in_at:
            entries.append(Entry(_as_datetime(checked_in_at), "attendance", _("Attended %(event)s", event=title), link, args,
                                 activity=True))
    for starts_at, session_title, event_id, title, _name in talks:
        entries.append(Entry(_as_datetime(starts_at), "speaker",
                             _("Speaking at %(event)s: %(session)s", event=title, session=session_title), link,
                             (("event_id", event_id),), activity=True))
    return entries


def _lesson_entries(city: City) -> list[Entry]:
    rows = (Lesson
            .select(Lesson.id, Lesson.title, Lesson.status, Lesson.created_at, Lesson.submitted_at, Lesson.published_at)
            .where(Lesson.city == city)
            .order_by(Lesson.id.desc())
            .limit(LIMIT))
    entries = []
    for lesson in rows:
        args = (("lesson_id", lesson.id),)
        entries.append(Entry(lesson.created_at, "lesson", _("Lesson written: %(title)s", title=lesson.title),
                             "lessons.lesson_detail", args, activity=True))
        if lesson.submitted_at:
            entries.append(Entry(lesson.submitted_at, "lesson",
                                 _("Lesson submitted for review: %(title)s", title=lesson.title),
                                 "lessons.lesson_detail", args, activity=True))
        if lesson.published_at:
            entries.append(Entry(lesson.published_at, "lesson", _("Lesson published: %(title)s", title=lesson.title),
                                 "lessons.lesson_detail", args))
    return entries


def _workspace_entries(city: City, staff: bool) -> list[Entry]:
    """The city's workspaces and the advice it asked for; staff also see advice other cities asked of it."""
    workspaces = (Workspace
                  .select(Workspace.id, Workspace.title, Workspace.status, Workspace.created_at, Workspace.updated_at)
                  .where(Workspace.city == city)
                  .order_by(Workspace.id.desc())
                  .limit(LIMIT))
    entries = []
    for ws in workspaces:
        args = (("workspace_id", ws.id),)
        entries.append(Entry(ws.created_at, "workspace",
                             _("Incident workspace opened: %(title)s", title=ws.title),
                             "workspace.workspace_detail", args, activity=True))
        if ws.status == "closed":
            entries.append(Entry(ws.updated_at, "workspace",
                                 _("Incident workspace closed: %(title)s", title=ws.title),
                                 "workspace.workspace_detail", args))
    Peer = City.alias()
    asked = (AdviceRequest
             .select(AdviceRequest, Workspace.id, Workspace.title, Peer.name)
             .join(Workspace).switch(AdviceRequest).join(Peer, on=(AdviceRequest.peer_city == Peer.id))
             .where(Workspace.city == city)
             .order_by(AdviceRequest.id.desc())
             .limit(LIMIT))
    for req in asked:
        args = (("workspace_id", req.workspace.id),)
        text = (_("Asked %(city)s for advice (urgent)", city=req.peer_city.name) if req.urgent
                else _("Asked %(city)s for advice", city=req.peer_city.name))
        entries.append(Entry(req.created_at, "advice", text,
                             "workspace.workspace_detail", args, activity=True, note=req.workspace.title))
        if req.answered_at:
            entries.append(Entry(req.answered_at, "advice",
                                 _("Advice from %(city)s: %(status)s", city=req.peer_city.name,
                                   status=ADVICE_STATUSES.get(req.status, req.status)),
                                 "workspace.workspace_detail", args))
    if staff:  # another city's confidential request: never shown to this city's officials
        Asking = City.alias()
        received = (AdviceRequest
                    .select(AdviceRequest, Workspace.id, Asking.name)
                    .join(Workspace).join(Asking, on=(Workspace.city == Asking.id))
                    .where(AdviceRequest.peer_city == city)
                    .order_by(AdviceRequest.id.desc())
                    .limit(LIMIT))
        for req in received:
            args = (("workspace_id", req.workspace.id),)
            asker = req.workspace.city.name
            entries.append(Entry(req.forwarded_at or req.created_at, "advice",
                                 _("%(city)s asked this city for advice", city=asker),
                                 "workspace.workspace_detail", args))
            if req.answered_at:
                entries.append(Entry(req.answered_at, "advice",
                                     _("Answered %(city)s's request: %(status)s", city=asker,
                                       status=ADVICE_STATUSES.get(req.status, req.status)),
                                     "workspace.workspace_detail", args, activity=True))
    return entries


def _mail_entries(where: peewee.Expression) -> list[Entry]:
    """Staff only: mail sent (or queued) to these addresses, marking those that belong to a mailing."""
    mails = list(OutboxMail
                 .select(OutboxMail.id, OutboxMail.recipient, OutboxMail.subject, OutboxMail.status,
                         OutboxMail.created_at, OutboxMail.sent_at)
                 .where(where)
                 .order_by(OutboxMail.id.desc())
                 .limit(LIMIT)
                 .tuples())
    mailing_of = {}
    if mails:
        mailing_of = dict(Delivery
                          .select(Delivery.outbox_mail_id, Delivery.mailing)
                          .where(Delivery.outbox_mail_id.in_([m[0] for m in mails]))
                          .tuples())
    entries = []
    for mail_id, recipient, subject, status, created_at, sent_at in mails:
        status = str(MAIL_STATUSES.get(status, status)).lower()
        line = (_l("Mailing to %(recipient)s: %(subject)s (%(status)s)") if mail_id in mailing_of
                else _l("Mail to %(recipient)s: %(subject)s (%(status)s)"))
        text = str(line) % {"recipient": recipient, "subject": subject, "status": status}
        entries.append(Entry(_as_datetime(sent_at or created_at), "mail", text,
                             "outbox.mail_detail", (("mail_id", mail_id),)))
    return entries


# --- a contact's timeline -------------------------------------------------------------------------

def contact_timeline(contact: Contact) -> list[Entry]:
    """Everything that happened with ``contact`` (for the secretariat), newest first."""
    ids = [str(contact.id)] + [str(m.merged_contact_id) for m in
                               ContactMerge.select(ContactMerge.merged_contact_id).where(ContactMerge.kept == contact)]
    records = (AuditEntry
               .select()
               .where(AuditEntry.object_type == "Contact", AuditEntry.object_id.in_(ids))
               .order_by(AuditEntry.id.desc())
               .limit(LIMIT))
    entries = [Entry(e.created_at, "record", e.summary or e.action, "audit.log",
                     (("object_type", "Contact"), ("object_id", contact.id)), note=e.actor_email)
               for e in records]
    entries += _event_entries(Contact.id == contact.id, True, per_event=False)
    if contact.email:
        entries += _mail_entries(OutboxMail.recipient == contact.email)
        forwarded = (AdviceRequest
                     .select(AdviceRequest, Workspace.id, City.name)
                     .join(Workspace).join(City)
                     .where(AdviceRequest.forwarded_to == contact.email)
                     .order_by(AdviceRequest.id.desc())
                     .limit(LIMIT))
        for req in forwarded:
            args = (("workspace_id", req.workspace.id),)
            entries.append(Entry(req.forwarded_at or req.created_at, "advice",
                                 _("Asked for advice on behalf of %(city)s", city=req.workspace.city.name),
                                 "workspace.workspace_detail", args))
            if req.answered_at:
                entries.append(Entry(req.answered_at, "advice",
                                     _("Answered %(city)s: %(status)s", city=req.workspace.city.name,
                                       status=ADVICE_STATUSES.get(req.status, req.status)),
                                     "workspace.workspace_detail", args, activity=True))
    return _newest_first(entries)


def contact_engagement(contact: Contact, entries: list[Entry], *, now: dt.datetime | None = None) -> Engagement:
    """A person's engagement, from their timeline: last activity, events attended in 12 months, mails."""
    now = now or utcnow()
    since = now - dt.timedelta(days=ATTENDED_DAYS)
    last = max((e.at for e in entries if e.activity and e.at <= now), default=None)
    attended = (Registration
                .select(fn.COUNT(Registration.event.distinct()))
                .join(Event)
                .where(Registration.contact == contact, Registration.checked_in_at.is_null(False),
                       Event.starts_at >= since, Event.starts_at <= now)
                .scalar())
    return Engagement(last, attended or 0, mails=sum(1 for e in entries if e.kind == "mail"))


# --- engagement and dormant members ---------------------------------------------------------------

def _latest(column: peewee.Field) -> peewee.Function:
    """MAX(column) as the database returns it (an ISO string on SQLite): compared as is, converted once a city."""
    return fn.MAX(column).coerce(False)


def _people_activity_in_one_pass() -> peewee.SelectQuery:
    """(city id, latest, latest) of registrations, check-ins and answers to invitations, joined to the contacts once.

    The same figures as the first two sources of ``_activity_sources``; PostgreSQL hashes 100,000 contacts for each
    join, so for every city at once (the dormant list) one join over the per-person latest of both halves the time.
    """
    registrations = (Registration
                     .select(Registration.contact.alias("contact_id"),
                             fn.GREATEST(fn.MAX(Registration.created_at), fn.MAX(Registration.checked_in_at))
                             .alias("latest"))
                     .group_by(Registration.contact))
    answers = (Invitation
               .select(Invitation.contact.alias("contact_id"), fn.MAX(Invitation.answered_at).alias("latest"))
               .group_by(Invitation.contact))
    activity = (registrations + answers).alias("activity")  # UNION ALL
    return (Contact
            .select(Contact.city, _latest(activity.c.latest), _latest(activity.c.latest))
            .join(activity, on=(Contact.id == activity.c.contact_id))
            .group_by(Contact.city))


def _activity_sources(*, every_city: bool = False) -> list[tuple[peewee.SelectQuery, peewee.Field]]:
    """Queries of (city id, latest, latest) for each kind of activity of a city's people: the definition.

    Each comes with the column that names the city, to narrow it to a few cities.
    """
    if every_city and isinstance(database.obj, peewee.PostgresqlDatabase):
        people = [(_people_activity_in_one_pass(), Contact.city)]
    else:  # SQLite reads each through its covering index (contact, dates) faster than the union
        people = [
            (Registration
             .select(Contact.city, _latest(Registration.created_at), _latest(Registration.checked_in_at))
             .join(Contact)
             .group_by(Contact.city), Contact.city),
            (Invitation
             .select(Contact.city, _latest(Invitation.answered_at), _latest(Invitation.answered_at))
             .join(Contact)
             .group_by(Contact.city), Contact.city),
        ]
    return people + [
        (Lesson
         .select(Lesson.city, _latest(Lesson.created_at), _latest(Lesson.submitted_at))
         .group_by(Lesson.city), Lesson.city),
        (Workspace
         .select(Workspace.city, _latest(Workspace.created_at), _latest(Workspace.created_at))
         .group_by(Workspace.city), Workspace.city),
        (AdviceRequest
         .select(Workspace.city, _latest(AdviceRequest.created_at), _latest(AdviceRequest.created_at))
         .join(Workspace)
         .group_by(Workspace.city), Workspace.city),
        (AdviceRequest
         .select(AdviceRequest.peer_city, _latest(AdviceRequest.answered_at), _latest(AdviceRequest.answered_at))
         .group_by(AdviceRequest.peer_city), AdviceRequest.peer_city),
        (ApplicationEvent
         .select(Application.city, _latest(ApplicationEvent.created_at), _latest(ApplicationEvent.created_at))
         .join(Application)
         .where(ApplicationEvent.action.in_(ACTIVE_APPLICATION_ACTIONS))
         .group_by(Application.city), Application.city),
    ]


ACTIVITY_SOURCES = (_l("event registrations and check-ins"), _l("answers to invitations"),
                    _l("lessons written or submitted"), _l("incident workspaces opened"), _l("advice asked"),
                    _l("advice requests answered"), _l("membership application submitted or answered"))


def last_activity_by_city(city_ids: list[int] | None = None, *, now: dt.datetime | None = None) -> dict[int, dt.datetime]:
    """Return ``{city id: latest activity}`` for the cities given (all when None), one query per kind of activity."""
    now = now or utcnow()
    latest: dict[int, object] = {}
    for query, city in _activity_sources(every_city=city_ids is None):
        query = query.where(city.in_(city_ids) if city_ids is not None else city.is_null(False))
        for city_id, *values in query.tuples():
            for value in values:  # one database, one type: ISO strings (SQLite) or datetimes (PostgreSQL)
                if value is not None and (city_id not in latest or value > latest[city_id]):
                    latest[city_id] = value
    found = {city_id: _as_datetime(value) for city_id, value in latest.items()}
    return {city_id: value for city_id, value in found.items() if value <= now}


def city_engagement(city: City, viewer, entries: list[Entry], *, now: dt.datetime | None = None) -> Engagement:
    """A city's engagement summary: last activity, events attended in 12 months, lessons, open workspaces."""
    now = now or utcnow()
    since = now - dt.timedelta(days=ATTENDED_DAYS)
    attended = (Registration
                .select(fn.COUNT(Registration.event.distinct()))
                .join(Contact).switch(Registration).join(Event)
                .where(Contact.city == city, Registration.checked_in_at.is_null(False),
                       Event.starts_at >= since, Event.starts_at <= now)
                .scalar())
    return Engagement(
        last_activity_at=last_activity_by_city([city.id], now=now).get(city.id),
        events_attended_12m=attended or 0,
        lessons_published=Lesson.select().where(Lesson.city == city, Lesson.status == "published").count(),
        open_workspaces=Workspace.select().where(Workspace.city == city, Workspace.status == "open").count(),
        contacts=Contact.select().where(Contact.city == city, Contact.erased_at.is_null()).count(),
        mails=sum(1 for e in entries if e.kind == "mail") if is_staff(viewer) else None,
    )


@dataclass(frozen=True)
class Dormant:
    """An active member city silent since ``silent_since`` (its last activity, or the day it joined)."""

    city: City
    last_activity_at: dt.datetime | None
    silent_since: dt.datetime
    months_silent: int
    focal_points: tuple = ()


def dormant_cities(months: int = 12, *, region: str = "", now: dt.datetime | None = None) -> list[Dormant]:
    """Active member cities with no activity in the last ``months`` months, longest silence first."""
    now = now or utcnow()
    cutoff = months_ago(now, months)
    cities = (City
              .select(City.id, City.name, City.country, City.region, City.joined_on, City.created_at)
              .where(City.status == "active"))
    if region:
        cities = cities.where(City.region == region)
    latest = last_activity_by_city(None, now=now)
    found = []
    for city in cities:
        last = latest.get(city.id)
        since = last or _as_datetime(city.joined_on) or city.created_at
        if since < cutoff:
            silent = (now.year - since.year) * 12 + now.month - since.month - (now.day < since.day)
            found.append(Dormant(city, last, since, silent))
    found.sort(key=lambda d: (d.silent_since, d.city.name))
    return found


def with_focal_points(dormant: list[Dormant]) -> list[Dormant]:
    """The same cities with their focal points (one query: call it on the page shown, not the whole list)."""
    focal: dict[int, list[Contact]] = {}
    if dormant:
        rows = (Contact
                .select(Contact.id, Contact.name, Contact.email, Contact.city, Contact.do_not_contact)
                .where(Contact.city.in_([d.city.id for d in dormant]), Contact.city_role == "focal_point",
                       Contact.erased_at.is_null())
                .order_by(Contact.name))
        for contact in rows:
            focal.setdefault(contact.city_id, []).append(contact)
    return [replace(d, focal_points=tuple(focal.get(d.city.id, ()))) for d in dormant]


def active_member_count(region: str = "") -> int:
    query = City.select().where(City.status == "active")
    return (query.where(City.region == region) if region else query).count()

