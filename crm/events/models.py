"""Events and workshops: the event, its agenda, invitations and registrations."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import peewee
from flask_babel import lazy_gettext as _l

from crm.accounts.models import User
from crm.contacts.models import Contact
from crm.core.fields import JSONListField
from crm.db import BaseModel, utcnow
from crm.membership.models import City

KINDS = {
    "workshop": _l("Workshop"),
    "webinar": _l("Webinar"),
    "regional_meeting": _l("Regional meeting"),
    "summit": _l("Summit"),
    "site_visit": _l("Site visit"),
    "table_top": _l("Table-top exercise"),
    "peer_exchange": _l("Peer exchange"),
}
VISIBILITIES = {
    "public": _l("Public: anyone can see it and register"),
    "members": _l("Members only: signed-in members can see it and register"),
    "invitation": _l("Invitation only: only invited people can register"),
}
# The short name of each visibility, shown as a badge (the option text above says what it means).
VISIBILITY_NAMES = {"public": _l("Public"), "members": _l("Members only"), "invitation": _l("Invitation only")}
DRAFT, PUBLISHED, CANCELLED, COMPLETED = "draft", "published", "cancelled", "completed"
STATUSES = {DRAFT: _l("Draft"), PUBLISHED: _l("Published"), CANCELLED: _l("Cancelled"), COMPLETED: _l("Completed")}
SESSION_KINDS = {
    "session": _l("Session"),
    "keynote": _l("Keynote"),
    "panel": _l("Panel"),
    "workshop": _l("Working group"),
    "exercise": _l("Exercise"),
    "site_visit": _l("Site visit"),
    "break": _l("Break"),
    "meal": _l("Meal"),
    "networking": _l("Networking"),
}

# Registration states. REGISTERED and OFFERED hold a seat; WAITING is in the queue.
REGISTERED, WAITING, OFFERED, CANCELLED_REG, EXPIRED = "registered", "waiting", "offered", "cancelled", "expired"
REGISTRATION_STATUSES = {
    REGISTERED: _l("Registered"),
    WAITING: _l("Waiting list"),
    OFFERED: _l("Seat offered"),
    CANCELLED_REG: _l("Cancelled"),
    EXPIRED: _l("Offer expired"),
}
SEAT_HOLDING = (REGISTERED, OFFERED)

PENDING, ACCEPTED, DECLINED = "pending", "accepted", "declined"
INVITATION_STATUSES = {PENDING: _l("Not answered"), ACCEPTED: _l("Accepted"), DECLINED: _l("Declined")}


class Event(BaseModel):
    """A workshop, webinar, meeting, summit, site visit, exercise or peer exchange."""

    title = peewee.CharField(max_length=200)
    kind = peewee.CharField(max_length=30, default="workshop", index=True)
    description = peewee.TextField(default="")  # Markdown, rendered sanitised
    language = peewee.CharField(max_length=8, default="")  # ISO 639-1 code of the language of title and description
    host_city = peewee.ForeignKeyField(City, null=True, backref="hosted_events", on_delete="SET NULL")
    venue = peewee.CharField(max_length=200, default="")
    address = peewee.CharField(max_length=300, default="")
    online_url = peewee.CharField(max_length=500, default="")
    timezone = peewee.CharField(max_length=60, default="UTC")
    starts_at = peewee.DateTimeField(index=True)  # UTC
    ends_at = peewee.DateTimeField()  # UTC
    capacity = peewee.IntegerField(null=True)  # None: no limit
    waiting_list = peewee.BooleanField(default=True)
    registration_opens_at = peewee.DateTimeField(null=True)
    registration_closes_at = peewee.DateTimeField(null=True)
    audience_sectors = JSONListField(default=list)
    visibility = peewee.CharField(max_length=20, default="members", index=True)
    status = peewee.CharField(max_length=20, default=DRAFT, index=True)
    offer_hours = peewee.IntegerField(default=48)
    reminder_days = peewee.IntegerField(default=3)
    invitation_reminder_days = peewee.IntegerField(default=7)  # 0: no reminders
    cancellation_reason = peewee.TextField(default="")
    created_by = peewee.ForeignKeyField(User, null=True, backref="created_events", on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)
    published_at = peewee.DateTimeField(null=True)
    cancelled_at = peewee.DateTimeField(null=True)

    def __str__(self) -> str:
        return self.title

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone or "UTC")

    def local(self, value: dt.datetime | None) -> dt.datetime | None:
        """Return a stored UTC datetime in the event's time zone (aware)."""
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC).astimezone(self.zone)

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def visibility_label(self) -> str:
        return VISIBILITY_NAMES.get(self.visibility, self.visibility)

    @property
    def is_past(self) -> bool:
        return self.ends_at <= utcnow()


class Session(BaseModel):
    """One item of an event's agenda: a talk, a panel, a site visit, a break."""

    event = peewee.ForeignKeyField(Event, backref="sessions", on_delete="CASCADE")
    starts_at = peewee.DateTimeField()  # UTC
    ends_at = peewee.DateTimeField()  # UTC
    title = peewee.CharField(max_length=200)
    kind = peewee.CharField(max_length=30, default="session")
    place = peewee.CharField(max_length=200, default="")
    description = peewee.TextField(default="")

    class Meta:
        table_name = "event_session"

    @property
    def kind_label(self) -> str:
        return SESSION_KINDS.get(self.kind, self.kind)


class SessionSpeaker(BaseModel):
    """A contact speaking at a session."""

    session = peewee.ForeignKeyField(Session, backref="speaker_links", on_delete="CASCADE")
    contact = peewee.ForeignKeyField(Contact, backref="speaking_sessions", on_delete="CASCADE")

    class Meta:
        table_name = "event_session_speaker"
        indexes = ((("session", "contact"), True),)


class Invitation(BaseModel):
    """A personal invitation of a contact to an event, answered through a signed link."""

    event = peewee.ForeignKeyField(Event, backref="invitations", on_delete="CASCADE")
    contact = peewee.ForeignKeyField(Contact, backref="event_invitations", on_delete="CASCADE")
    status = peewee.CharField(max_length=20, default=PENDING, index=True)
    invited_by = peewee.ForeignKeyField(User, null=True, backref="sent_event_invitations", on_delete="SET NULL")
    message = peewee.TextField(default="")
    sent_at = peewee.DateTimeField(default=utcnow)
    answered_at = peewee.DateTimeField(null=True)
    last_reminded_at = peewee.DateTimeField(null=True)
    reminders_sent = peewee.IntegerField(default=0)

    class Meta:
        table_name = "event_invitation"
        # (contact, answered_at) covers a city's latest answer (crm.journeys: the dormant members list).
        indexes = ((("event", "contact"), True), (("contact", "answered_at"), False))

    @property
    def status_label(self) -> str:
        return INVITATION_STATUSES.get(self.status, self.status)


class Registration(BaseModel):
    """A contact's place at an event: registered, waiting, offered a seat, cancelled or expired."""

    event = peewee.ForeignKeyField(Event, backref="registrations", on_delete="CASCADE")
    contact = peewee.ForeignKeyField(Contact, backref="event_registrations", on_delete="CASCADE")
    status = peewee.CharField(max_length=20, index=True)
    waiting_position = peewee.IntegerField(null=True)
    offered_at = peewee.DateTimeField(null=True)
    offer_expires_at = peewee.DateTimeField(null=True, index=True)
    source = peewee.CharField(max_length=20, default="member")  # public, member, invitation, staff, walk_in
    organisation = peewee.CharField(max_length=200, default="")
    sector = peewee.CharField(max_length=40, default="")
    accessibility_needs = peewee.TextField(default="")
    dietary_needs = peewee.TextField(default="")
    consent_listed = peewee.BooleanField(default=False)
    consent_share_email = peewee.BooleanField(default=False)
    checked_in_at = peewee.DateTimeField(null=True)
    reminder_sent_at = peewee.DateTimeField(null=True)
    registered_at = peewee.DateTimeField(null=True)
    cancelled_at = peewee.DateTimeField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "event_registration"
        # (contact, created_at, checked_in_at) covers a city's latest registration or check-in (crm.journeys).
        indexes = ((("event", "contact"), True), (("event", "status"), False),
                   (("contact", "created_at", "checked_in_at"), False))

    @property
    def status_label(self) -> str:
        return REGISTRATION_STATUSES.get(self.status, self.status)

    @property
    def holds_seat(self) -> bool:
        return self.status in SEAT_HOLDING

    @property
    def attended(self) -> bool:
        return self.checked_in_at is not None
