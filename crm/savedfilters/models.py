"""A saved filter: the query string of a list page, named by a staff user, kept for them or shared."""

from __future__ import annotations

import peewee

from crm.accounts.models import User
from crm.db import BaseModel, utcnow


class SavedFilter(BaseModel):
    """The filters of one list page (``page`` is its endpoint) saved under a name by its owner."""

    owner = peewee.ForeignKeyField(User, backref="saved_filters", on_delete="CASCADE")
    page = peewee.CharField(max_length=60)  # the list's endpoint, e.g. contacts.contact_list
    name = peewee.CharField(max_length=100)
    query = peewee.TextField(default="")  # the query string, exactly as the list had it (without page=)
    shared = peewee.BooleanField(default=False)  # shown to every staff user, not only the owner
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("owner", "page", "name"), True),)
