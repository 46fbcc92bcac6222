"""Incidents in a member city's history, described along the facets of DOMAIN.md."""

from __future__ import annotations

import peewee
from flask_babel import lazy_gettext as _l

from crm.accounts.models import User
from crm.core.fields import JSONDictField
from crm.db import BaseModel, utcnow
from crm.membership.models import City

FACETS = {"attack": _l("Kind of attack"), "target": _l("Target"), "motive": _l("Motive"), "aftermath": _l("Aftermath")}
INCIDENT_VISIBILITIES = {"network": _l("Network members only"), "public": _l("Public")}


class FacetTerm(BaseModel):
    """One value of the controlled vocabulary of a facet (seeded; staff can add more)."""

    facet = peewee.CharField(max_length=20, index=True)
    key = peewee.CharField(max_length=60)
    label = peewee.CharField(max_length=120)
    position = peewee.IntegerField(default=0)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("facet", "key"), True),)

    def __str__(self) -> str:
        return self.label


class Incident(BaseModel):
    """An attack a member city lived through, and how the city responded."""

    city = peewee.ForeignKeyField(City, backref="incidents", on_delete="CASCADE")
    occurred_on = peewee.DateField(null=True, index=True)
    title = peewee.CharField(max_length=300)
    summary = peewee.TextField(default="")
    facets = JSONDictField(default=dict)  # {"attack": ["shooting"], "target": [...], ...}
    scale = peewee.CharField(max_length=200, default="")
    response = peewee.TextField(default="")
    visibility = peewee.CharField(max_length=20, default="network", index=True)
    language = peewee.CharField(max_length=8, default="")  # ISO 639-1 code of the language it is written in
    created_by = peewee.ForeignKeyField(User, null=True, backref="incidents_created", on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)

    def __str__(self) -> str:
        return self.title

    @property
    def visibility_label(self) -> str:
        return INCIDENT_VISIBILITIES.get(self.visibility, self.visibility)
