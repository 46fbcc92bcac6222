"""People the network works with: officials, police, academics, practitioners, civil society."""

from __future__ import annotations

import peewee

from crm.db import BaseModel, utcnow
from crm.membership.models import City, JSONListField


class Contact(BaseModel):
    """A person, optionally linked to a member city."""

    name = peewee.CharField(max_length=200, index=True)
    email = peewee.CharField(max_length=254, null=True, unique=True)  # lower-case; null when erased or unknown
    position = peewee.CharField(max_length=200, default="")
    organisation = peewee.CharField(max_length=200, default="", index=True)
    sector = peewee.CharField(max_length=40, default="other", index=True)
    city = peewee.ForeignKeyField(City, null=True, backref="contacts", on_delete="SET NULL")
    phone = peewee.CharField(max_length=60, default="")
    languages = JSONListField(default=list)
    tags = JSONListField(default=list)
    notes = peewee.TextField(default="")
    accepts_event_invitations = peewee.BooleanField(default=True)
    accepts_network_news = peewee.BooleanField(default=True)
    do_not_contact = peewee.BooleanField(default=False)
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)

    def __str__(self) -> str:
        return self.name

    @property
    def may_be_invited(self) -> bool:
        return bool(self.email) and not self.do_not_contact and self.accepts_event_invitations
