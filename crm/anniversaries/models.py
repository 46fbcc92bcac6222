"""The secret of each staff member's anniversaries feed link: rotating it ends the old link, deleting it revokes."""

from __future__ import annotations

import peewee

from crm.accounts.models import User
from crm.db import BaseModel, utcnow


class AnniversaryFeed(BaseModel):
    """One user's calendar feed key; the signed link carries it, so a new key or none refuses old links."""

    user = peewee.ForeignKeyField(User, unique=True, backref="anniversary_feeds", on_delete="CASCADE")
    key = peewee.CharField(max_length=32)
    created_at = peewee.DateTimeField(default=utcnow)
    last_used_at = peewee.DateTimeField(null=True)
