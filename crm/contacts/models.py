"""People the network works with: officials, police, academics, practitioners, civil society."""

from __future__ import annotations

import peewee
from flask_babel import lazy_gettext as _l

from crm.accounts.models import User
from crm.core.fields import JSONListField
from crm.db import BaseModel, utcnow
from crm.membership.models import City


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
    language = peewee.CharField(max_length=8, default="")  # the mail language (en, fr, es, ar); "" when not known
    tags = JSONListField(default=list)
    notes = peewee.TextField(default="")
    accepts_event_invitations = peewee.BooleanField(default=True)
    accepts_network_news = peewee.BooleanField(default=True)
    do_not_contact = peewee.BooleanField(default=False)
    name_key = peewee.CharField(max_length=200, default="", index=True)  # folded name, for duplicate checks
    city_role = peewee.CharField(max_length=20, default="")  # focal_point, leader or ""
    erased_at = peewee.DateTimeField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("name_key", "id"), False),)  # the list's sort order, for first and deep pages alike

    def __str__(self) -> str:
        return self.name

    @property
    def may_be_invited(self) -> bool:
        return bool(self.email) and not self.do_not_contact and self.accepts_event_invitations


SECTOR_DEFAULT = "other"
CITY_ROLES = {"focal_point": _l("Focal point"), "leader": _l("Mayor or elected leader"), "": "—"}


class ContactMerge(BaseModel):
    """A record folded into another: what it held, so its history stays reachable from the one kept."""

    kept = peewee.ForeignKeyField(Contact, backref="merges", on_delete="CASCADE")
    merged_contact_id = peewee.IntegerField(index=True)
    merged_name = peewee.CharField(max_length=200)
    data_json = peewee.TextField(default="{}")
    created_at = peewee.DateTimeField(default=utcnow)
    actor = peewee.ForeignKeyField(User, null=True, backref="contact_merges", on_delete="SET NULL")
