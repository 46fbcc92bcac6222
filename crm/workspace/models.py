"""The incident workspace of a member city: what happened, its peers, its checklist, its advice requests."""

from __future__ import annotations

import peewee
from flask_babel import lazy_gettext as _l

from crm.accounts.models import User
from crm.core.fields import JSONDictField, JSONListField
from crm.db import BaseModel, utcnow
from crm.lessons.models import ToolkitItem
from crm.membership.models import City

ADVICE_STATUSES = {"requested": _l("Waiting for the secretariat"), "forwarded": _l("Forwarded to the peer city"),
                   "accepted": _l("Accepted: contacts exchanged"), "declined": _l("Declined by the peer city"),
                   "cancelled": _l("Cancelled")}
OPEN_ADVICE_STATUSES = ("requested", "forwarded")


class Workspace(BaseModel):
    """A member city's confidential workspace for an incident it is responding to now."""

    city = peewee.ForeignKeyField(City, backref="workspaces", on_delete="CASCADE")
    title = peewee.CharField(max_length=300)
    description = peewee.TextField()  # any language
    language = peewee.CharField(max_length=5, default="")
    facets = JSONDictField(default=dict)
    phase = peewee.CharField(max_length=30, default="first_24_hours")
    needs = peewee.TextField(default="")
    need_themes = JSONListField(default=list)
    status = peewee.CharField(max_length=20, default="open", index=True)  # open, closed
    created_by = peewee.ForeignKeyField(User, null=True, backref="workspaces_opened", on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)

    def __str__(self) -> str:
        return self.title


class ToolkitTick(BaseModel):
    """A toolkit item done in a workspace: who ticked it and when."""

    workspace = peewee.ForeignKeyField(Workspace, backref="ticks", on_delete="CASCADE")
    item = peewee.ForeignKeyField(ToolkitItem, backref="ticks", on_delete="CASCADE")
    ticked_by = peewee.ForeignKeyField(User, null=True, backref="toolkit_ticks", on_delete="SET NULL")
    ticked_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("workspace", "item"), True),)


class AdviceRequest(BaseModel):
    """A request for an introduction to a peer city, relayed by the secretariat to its focal point."""

    workspace = peewee.ForeignKeyField(Workspace, backref="advice_requests", on_delete="CASCADE")
    peer_city = peewee.ForeignKeyField(City, backref="advice_requests_received", on_delete="CASCADE")
    message = peewee.TextField()
    urgent = peewee.BooleanField(default=False)
    status = peewee.CharField(max_length=20, default="requested", index=True)
    requested_by = peewee.ForeignKeyField(User, null=True, backref="advice_requests", on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=utcnow, index=True)
    forwarded_at = peewee.DateTimeField(null=True)
    forwarded_by = peewee.ForeignKeyField(User, null=True, backref="advice_forwarded", on_delete="SET NULL")
    forwarded_to = peewee.CharField(max_length=254, default="")
    staff_note = peewee.TextField(default="")
    answered_at = peewee.DateTimeField(null=True)
    answer_note = peewee.TextField(default="")
    flagged_at = peewee.DateTimeField(null=True)

    @property
    def status_label(self) -> str:
        return ADVICE_STATUSES.get(self.status, self.status)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ADVICE_STATUSES
