"""Write and read the audit log."""

from __future__ import annotations

import datetime as dt
import json
import operator
import re
from functools import reduce

from flask import has_request_context, request

from crm.audit.models import AuditEntry
from crm.core import signals
from crm.db import database, on_days

ERASED = "[erased]"


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


@signals.audited.connect
def _answer_audited(actor, *, action: str, obj=None, **details) -> AuditEntry:
    """Write the entry ``crm.core.operations.audit`` asks for (features audit through the core)."""
    return record(actor, action, obj, **details)


def erase_personal_values(values, *, object_type: str, object_ids: dict) -> int:
    """Remove a person's data from the audit log after an erasure; return the number of entries changed.

    The entries about ``object_type`` and an id of ``object_ids`` (mapping each id to the time after which
    it named someone else, as SQLite reuses the id of a deleted row, or None) keep their action, time,
    actor, the names of the fields that changed and their numbers and flags; every recorded text becomes
    ``[erased]``. In every other entry each of ``values`` (name, addresses, phone: texts that name the
    person) is replaced wherever it appears as a whole word, in the summary or a recorded value. This is
    the one change the append-only log allows.
    """
    values = sorted({v.strip() for v in values if v and len(v.strip()) >= 3}, key=len, reverse=True)
    pattern = (re.compile("|".join(rf"(?<!\w){re.escape(v)}(?!\w)" for v in values), re.IGNORECASE)
               if values else None)
    limits = {str(object_id): until for object_id, until in object_ids.items()}
    condition = reduce(operator.or_, [
        (AuditEntry.object_type == object_type) & (AuditEntry.object_id == object_id)
        & (AuditEntry.created_at <= (until or dt.datetime.max)) for object_id, until in limits.items()])
    for value in values:  # a cheap text match finds the candidates; the pattern decides
        needle = json.dumps(value, ensure_ascii=False)[1:-1]
        condition |= AuditEntry.summary.contains(value) | AuditEntry.changes_json.contains(needle)
    changed = 0
    with database.atomic():
        for entry in AuditEntry.select().where(condition):
            own = (entry.object_type == object_type and entry.object_id in limits
                   and entry.created_at <= (limits[entry.object_id] or dt.datetime.max))
            changes = _erase_all(entry.changes) if own else _scrub(entry.changes, pattern)
            summary = pattern.sub(ERASED, entry.summary) if pattern else entry.summary
            changes_json = json.dumps(changes, ensure_ascii=False, sort_keys=True, default=str)
            if (summary, changes_json) != (entry.summary, entry.changes_json):
                (AuditEntry.update(summary=summary, changes_json=changes_json)
                 .where(AuditEntry.id == entry.id)
                 .execute())
                changed += 1
    return changed


def _erase_all(value):
    """Keep the shape (which fields changed) and the numbers and flags; replace every recorded text."""
    if isinstance(value, dict):
        return {key: _erase_all(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_erase_all(item) for item in value]
    return ERASED if isinstance(value, str) and value else value


def _scrub(value, pattern):
    if pattern is None:
        return value
    if isinstance(value, dict):
        return {key: _scrub(item, pattern) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item, pattern) for item in value]
    return pattern.sub(ERASED, value) if isinstance(value, str) else value


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
    return on_days(query, AuditEntry.created_at, since, until)


def facets():
    """Return the object types and actions present in the log, for filter menus."""
    types = [r.object_type for r in AuditEntry.select(AuditEntry.object_type).distinct().order_by(AuditEntry.object_type)]
    actions = [r.action for r in AuditEntry.select(AuditEntry.action).distinct().order_by(AuditEntry.action)]
    return types, actions
