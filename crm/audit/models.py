"""Audit entries: who changed what, and when. Rows are never updated or deleted (an erasure only blanks the
personal values they recorded: ``crm.audit.services.erase_personal_values``)."""

from __future__ import annotations

import json

import peewee

from crm.accounts.models import User
from crm.db import BaseModel, utcnow


class AppendOnlyError(RuntimeError):
    """Raised on an attempt to change or delete an audit entry."""


class AuditEntry(BaseModel):
    """One change: the actor, the action, the object and the changed values."""

    created_at = peewee.DateTimeField(default=utcnow, index=True)
    actor = peewee.ForeignKeyField(User, null=True, backref="audit_entries", on_delete="SET NULL")
    actor_email = peewee.CharField(max_length=254, default="")  # kept if the user is later erased
    action = peewee.CharField(max_length=60, index=True)
    object_type = peewee.CharField(max_length=60, index=True)
    object_id = peewee.CharField(max_length=60, default="", index=True)
    summary = peewee.CharField(max_length=300, default="")
    changes_json = peewee.TextField(default="{}")
    ip_address = peewee.CharField(max_length=64, default="")

    @property
    def changes(self) -> dict:
        return json.loads(self.changes_json or "{}")

    def save(self, *args, **kwargs):
        if self.id is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("Audit entries cannot be changed.")
        return super().save(*args, **kwargs)

    def delete_instance(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries cannot be deleted.")
