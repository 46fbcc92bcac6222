"""Write and read the audit log."""

from __future__ import annotations

import datetime as dt
import json

from flask import has_request_context, request

from crm.audit.models import AuditEntry


def _jsonable(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, set | tuple):
        return sorted(value) if isinstance(value, set) else list(value)
    if hasattr(value, "id") and hasattr(value, "_meta"):
        return value.id
    return value


def record(actor, action: str, obj=None, *, object_type: str | None = None, object_id=None,
           summary: str = "", changes: dict | None = None) -> AuditEntry:
    """Append one audit entry; ``changes`` maps a field to ``[old, new]`` or to a value."""
    if obj is not None:
        object_type = object_type or type(obj).__name__
        object_id = obj.id if object_id is None else object_id
    clean = {k: ([_jsonable(x) for x in v] if isinstance(v, list) else _jsonable(v))
             for k, v in (changes or {}).items()}
    ip = request.remote_addr or "" if has_request_context() else "cli"
    actor_ok = actor is not None and getattr(actor, "is_authenticated", False) and getattr(actor, "id", None)
    return AuditEntry.create(
        actor=actor.id if actor_ok else None,
        actor_email=getattr(actor, "email", "") if actor_ok else "",
        action=action,
        object_type=object_type or "",
        object_id=str(object_id or ""),
        summary=summary[:300],
        changes_json=json.dumps(clean, ensure_ascii=False, sort_keys=True, default=str),
        ip_address=ip,
    )


def diff(obj, new_values: dict) -> dict:
    """Return ``{field: [old, new]}`` for the values that differ from ``obj``'s."""
    return {k: [getattr(obj, k), v] for k, v in new_values.items() if getattr(obj, k) != v}


def search(*, actor_email: str = "", object_type: str = "", action: str = "", object_id: str = "",
           since: dt.date | None = None, until: dt.date | None = None):
    """Return audit entries matching the filters, newest first."""
    query = AuditEntry.select().order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if actor_email:
        query = query.where(AuditEntry.actor_email.contains(actor_email.strip().lower()))
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    if action:
        query = query.where(AuditEntry.action == action)
    if object_id:
        query = query.where(AuditEntry.object_id == object_id)
    if since:
        query = query.where(AuditEntry.created_at >= dt.datetime.combine(since, dt.time.min))
    if until:
        query = query.where(AuditEntry.created_at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min))
    return query


def facets():
    """Return the object types and actions present in the log, for filter menus."""
    types = [r.object_type for r in AuditEntry.select(AuditEntry.object_type).distinct().order_by(AuditEntry.object_type)]
    actions = [r.action for r in AuditEntry.select(AuditEntry.action).distinct().order_by(AuditEntry.action)]
    return types, actions
