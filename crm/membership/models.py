"""Member cities (and, with the membership feature, their applications and status history)."""

from __future__ import annotations

import json

import peewee

from crm.db import BaseModel, utcnow

CITY_STATUSES = {"active": "Active", "suspended": "Suspended", "withdrawn": "Withdrawn"}


class JSONListField(peewee.TextField):
    """A list of strings stored as JSON text (portable across SQLite and PostgreSQL)."""

    def db_value(self, value):
        return json.dumps(list(value or []), ensure_ascii=False)

    def python_value(self, value):
        return json.loads(value) if value else []


class City(BaseModel):
    """A member local authority: a city, municipality, county, province or other subnational level."""

    name = peewee.CharField(max_length=200, index=True)
    name_key = peewee.CharField(max_length=200, index=True)  # folded name, for duplicate checks
    country = peewee.CharField(max_length=2, index=True)  # ISO 3166-1 alpha-2
    region = peewee.CharField(max_length=60, index=True, default="")
    level = peewee.CharField(max_length=40, default="city")
    population = peewee.IntegerField(null=True)
    website = peewee.CharField(max_length=300, default="")
    languages = JSONListField(default=list)  # ISO 639-1 codes
    expertise = JSONListField(default=list)  # theme keys from seeds/vocabulary.json
    status = peewee.CharField(max_length=20, default="active", index=True)
    joined_on = peewee.DateField(null=True)
    focal_point_available = peewee.BooleanField(default=True)
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == "active"
