"""Mailing lists, subscriptions and unsubscribes, segments, mailings and their per-recipient deliveries."""

from __future__ import annotations

import json

import peewee
from flask_babel import gettext as _

from crm.accounts.models import User
from crm.contacts.models import Contact
from crm.db import BaseModel, utcnow

NETWORK_NEWS = "network-news"  # the list whose subscription is Contact.accepts_network_news


class MailingList(BaseModel):
    """A list contacts subscribe to (network news, events, toolkit updates, or one staff added)."""

    slug = peewee.CharField(max_length=60, unique=True)
    name = peewee.CharField(max_length=120, unique=True)
    description = peewee.CharField(max_length=300, default="")
    created_at = peewee.DateTimeField(default=utcnow)

    def __str__(self) -> str:
        return self.name


class Subscription(BaseModel):
    """A contact on a list (the network-news list reads Contact.accepts_network_news instead)."""

    contact = peewee.ForeignKeyField(Contact, backref="subscriptions", on_delete="CASCADE")
    mailing_list = peewee.ForeignKeyField(MailingList, backref="subscriptions", on_delete="CASCADE")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("contact", "mailing_list"), True),)


class Segment(BaseModel):
    """A saved filter of contacts and their cities (region, city status, sector, language, expertise, attendance).

    A mailing to a segment goes to those of its contacts who get ``mailing_list`` (the consent they gave):
    a filter never reaches anyone who did not agree to the network's mail.
    """

    name = peewee.CharField(max_length=120, unique=True)
    mailing_list = peewee.ForeignKeyField(MailingList, backref="segments", on_delete="RESTRICT")
    filters_json = peewee.TextField(default="{}")  # see crm.mailings.segments.FILTERS
    created_by = peewee.ForeignKeyField(User, null=True, backref="segments", on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)

    def __str__(self) -> str:
        return self.name

    @property
    def filters(self) -> dict:
        return json.loads(self.filters_json or "{}")

    @filters.setter
    def filters(self, value: dict) -> None:
        self.filters_json = json.dumps(value or {}, sort_keys=True)


class Mailing(BaseModel):
    """A message to a list or a segment: a draft until it is queued, then a record of who got it."""

    mailing_list = peewee.ForeignKeyField(MailingList, backref="mailings", on_delete="RESTRICT")
    segment = peewee.ForeignKeyField(Segment, null=True, backref="mailings", on_delete="RESTRICT")  # None: the whole list
    subject = peewee.CharField(max_length=200)
    body = peewee.TextField(default="")  # Markdown with merge fields, rendered per recipient
    language = peewee.CharField(max_length=8, default="en")  # of subject and body: the default version
    created_by = peewee.ForeignKeyField(User, null=True, backref="mailings", on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)
    queued_at = peewee.DateTimeField(null=True)  # when "send now" was confirmed
    scheduled_at = peewee.DateTimeField(null=True, index=True)  # queued by `crm mailings send` once due (UTC)

    def __str__(self) -> str:
        return self.subject

    @property
    def is_draft(self) -> bool:
        return self.queued_at is None

    @property
    def audience_name(self) -> str:
        """Who it goes to, in words: the list, or the segment (of the list's subscribers)."""
        if self.segment_id:
            return _("%(segment)s (segment of %(list)s)", segment=self.segment.name, list=self.mailing_list.name)
        return self.mailing_list.name


class MailingVersion(BaseModel):
    """The mailing in another language than its default one (``Mailing.language``): subject and body."""

    mailing = peewee.ForeignKeyField(Mailing, backref="versions", on_delete="CASCADE")
    language = peewee.CharField(max_length=8)  # ISO 639-1
    subject = peewee.CharField(max_length=200)
    body = peewee.TextField(default="")
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("mailing", "language"), True),)


class Unsubscribe(BaseModel):
    """A contact left a list (or every list, ``mailing_list`` null), when, and from which mailing.

    It outlasts any import: a contact with an active unsubscribe gets nothing from that list, whatever the
    subscription flags say, until they subscribe again themselves (``withdrawn_at``).
    """

    contact = peewee.ForeignKeyField(Contact, backref="unsubscribes", on_delete="CASCADE")
    mailing_list = peewee.ForeignKeyField(MailingList, null=True, backref="unsubscribes", on_delete="CASCADE")
    mailing = peewee.ForeignKeyField(Mailing, null=True, backref="unsubscribes", on_delete="SET NULL")
    how = peewee.CharField(max_length=20, default="link")  # one-click, preferences, staff
    created_at = peewee.DateTimeField(default=utcnow)
    withdrawn_at = peewee.DateTimeField(null=True)


class Delivery(BaseModel):
    """One recipient of one mailing: unique, so a restarted send never mails anyone twice."""

    mailing = peewee.ForeignKeyField(Mailing, backref="deliveries", on_delete="CASCADE")
    contact = peewee.ForeignKeyField(Contact, backref="mailing_deliveries", on_delete="CASCADE")
    outbox_mail_id = peewee.IntegerField(null=True, index=True)  # crm.mail.OutboxMail
    email = peewee.CharField(max_length=254)
    language = peewee.CharField(max_length=8, default="")  # the version the recipient got
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("mailing", "contact"), True),)


class MailBounce(BaseModel):
    """One recipient line of a bounce report (RFC 3464 delivery status notification)."""

    email = peewee.CharField(max_length=254, index=True)  # lower-case
    report_id = peewee.CharField(max_length=300)  # the report's Message-ID (or a digest): read twice, counted once
    action = peewee.CharField(max_length=20, default="")
    status = peewee.CharField(max_length=20, default="")  # e.g. 5.1.1
    hard = peewee.BooleanField(default=False)  # a permanent failure: Action failed, Status 5.x.x
    diagnostic = peewee.TextField(default="")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("report_id", "email"), True),)
