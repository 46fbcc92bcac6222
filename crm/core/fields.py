"""Column types shared by the features' models: JSON text that reads back as Python lists and dicts."""

from __future__ import annotations

import json

import peewee


class JSONListField(peewee.TextField):
    """A list of strings stored as JSON text (portable across SQLite and PostgreSQL)."""

    def db_value(self, value):
        if isinstance(value, str):  # already text: a LIKE pattern from .contains(), or stored JSON
            return value
        return json.dumps(list(value or []), ensure_ascii=False)

    def python_value(self, value):
        return json.loads(value) if value else []


class JSONDictField(peewee.TextField):
    """A dict of lists of strings stored as JSON text (portable across SQLite and PostgreSQL)."""

    def db_value(self, value):
        return json.dumps({k: list(v) for k, v in (value or {}).items() if v}, ensure_ascii=False, sort_keys=True)

    def python_value(self, value):
        return json.loads(value) if value else {}
