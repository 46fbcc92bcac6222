"""The one way an edit is saved and audited: ``update_record`` sets the values, stamps ``updated_at``,
saves and writes the audit entry in one transaction, so no edit path can forget a step."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from crm.core import signals
from crm.db import database, utcnow


def clean_values(values: Mapping, fields: Iterable[str], error: type[Exception], *,
                 required: Mapping[str, str]) -> dict:
    """Keep the ``fields`` of ``values``, and strip each ``required`` text: left empty, it raises ``error`` with
    its message (a field not given is not checked, so an edit may change only others)."""
    values = {k: v for k, v in values.items() if k in fields}
    for key, message in required.items():
        if key in values:
            values[key] = required_text(values[key], error, message)
    return values


def required_text(value: str | None, error: type[Exception], message: str) -> str:
    """Return ``value`` stripped; raise the feature's ``error`` with ``message`` when nothing is left."""
    text = (value or "").strip()
    if not text:
        raise error(message)
    return text


def diff(obj, new_values: dict) -> dict:
    """Return ``{field: [old, new]}`` for the values that differ from ``obj``'s."""
    return {k: [getattr(obj, k), v] for k, v in new_values.items() if getattr(obj, k) != v}


def audit(actor, action: str, obj=None, **details):
    """Append one audit entry (``summary``, ``changes``, ``object_type``, ``object_id``); return it.

    The audit feature answers the ``audited`` signal; with no one answering this raises, so an audit
    entry is never lost silently.
    """
    entries = signals.answers(signals.audited, actor, action=action, obj=obj, **details)
    if not entries:
        raise RuntimeError("No audit log answers crm.core.signals.audited: is the audit feature listed?")
    return entries[0]


def update_record(obj, values: dict, *, actor, action: str, summary: str, changes: dict | None = None,
                  audited: Callable[[dict], dict] | None = None) -> dict:
    """Save ``values`` on ``obj`` and audit the edit; return the changes (``{}``: nothing changed, nothing saved).

    ``summary`` is formatted with ``obj`` after the change (``"Edited {obj.name}"``); ``changes``
    defaults to ``diff(obj, values)``; ``audited`` picks what of the changes the audit entry keeps.
    """
    changes = diff(obj, values) if changes is None else changes
    if not changes:
        return changes
    with database.atomic():
        for key, value in values.items():
            setattr(obj, key, value)
        obj.updated_at = utcnow()
        obj.save()
        audit(actor, action, obj, summary=summary.format(obj=obj),
              changes=audited(changes) if audited else changes)
    return changes
