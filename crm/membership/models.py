"""Member cities (and, with the membership feature, their applications and status history)."""

from __future__ import annotations

import json

import peewee
from flask_babel import lazy_gettext as _l

from crm.accounts.models import User
from crm.core import gazetteer
from crm.core.fields import JSONListField
from crm.db import BaseModel, utcnow

# Labels are lazy strings, shown in the reader's language; stored texts (audit, history) use the keys.
CITY_STATUSES = {"active": _l("Active"), "suspended": _l("Suspended"), "withdrawn": _l("Withdrawn")}


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
    # Where the city is, from the offline gazetteer (crm.core.gazetteer); None when it does not know the name.
    latitude = peewee.FloatField(null=True)
    longitude = peewee.FloatField(null=True)

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        """Save, first placing the city on the map when it is new, renamed or moved to another country."""
        # Not on every save: a status change of a city the gazetteer does not know looks nothing up.
        if "latitude" not in self._dirty and (self._pk is None or self._dirty & {"name", "country"}):
            self.locate()
        return super().save(*args, **kwargs)

    def locate(self) -> bool:
        """Set the coordinates from the gazetteer (None when it does not know the city); True if they changed."""
        place = gazetteer.locate(self.name, self.country)
        latitude, longitude = (place.latitude, place.longitude) if place else (None, None)
        changed = (latitude, longitude) != (self.latitude, self.longitude)
        self.latitude, self.longitude = latitude, longitude
        return changed

    @property
    def is_active(self) -> bool:
        return self.status == "active"


APPLICATION_STATUSES = {
    "submitted": _l("Waiting for review"),
    "info_requested": _l("More information requested"),
    "approved": _l("Approved"),
    "declined": _l("Declined"),
    "withdrawn": _l("Withdrawn"),
}
OPEN_APPLICATION_STATUSES = ("submitted", "info_requested")


class Application(BaseModel):
    """A local authority's request to join the network, reviewed by the secretariat."""

    reference = peewee.CharField(max_length=20, unique=True)
    authority_name = peewee.CharField(max_length=200)
    name_key = peewee.CharField(max_length=200, index=True)
    level = peewee.CharField(max_length=40)
    country = peewee.CharField(max_length=2, index=True)
    region = peewee.CharField(max_length=60, default="", index=True)
    population = peewee.IntegerField(null=True)
    website = peewee.CharField(max_length=300, default="")
    languages = JSONListField(default=list)
    applicant_name = peewee.CharField(max_length=200)
    applicant_position = peewee.CharField(max_length=200, default="")
    applicant_email = peewee.CharField(max_length=254)
    applicant_phone = peewee.CharField(max_length=60, default="")
    leader_name = peewee.CharField(max_length=200, default="")
    leader_position = peewee.CharField(max_length=200, default="")
    focal_name = peewee.CharField(max_length=200, default="")
    focal_position = peewee.CharField(max_length=200, default="")
    focal_email = peewee.CharField(max_length=254, default="")
    expertise = JSONListField(default=list)
    expertise_other = peewee.CharField(max_length=500, default="")
    incident_experience = peewee.TextField(default="")
    motivation = peewee.TextField(default="")
    consent_at = peewee.DateTimeField()
    consent_version = peewee.CharField(max_length=20)
    status = peewee.CharField(max_length=20, default="submitted", index=True)
    decision_reason = peewee.TextField(default="")
    info_request = peewee.TextField(default="")  # the latest question asked to the applicant
    city = peewee.ForeignKeyField(City, null=True, backref="applications", on_delete="SET NULL")
    submitted_at = peewee.DateTimeField(default=utcnow, index=True)
    updated_at = peewee.DateTimeField(default=utcnow)
    decided_at = peewee.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.reference} {self.authority_name}"

    @property
    def status_label(self) -> str:
        return APPLICATION_STATUSES.get(self.status, self.status)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_APPLICATION_STATUSES

    @property
    def focal_point_email(self) -> str:
        return self.focal_email or self.applicant_email


class ApplicationEvent(BaseModel):
    """One step in an application's history: submitted, question, answer, decision, withdrawal."""

    application = peewee.ForeignKeyField(Application, backref="events", on_delete="CASCADE")
    created_at = peewee.DateTimeField(default=utcnow)
    action = peewee.CharField(max_length=30)
    status = peewee.CharField(max_length=20)
    actor = peewee.ForeignKeyField(User, null=True, backref="application_events", on_delete="SET NULL")
    actor_label = peewee.CharField(max_length=200, default="")
    note = peewee.TextField(default="")


class CityStatusChange(BaseModel):
    """A change of a city's membership status, with its reason and date."""

    city = peewee.ForeignKeyField(City, backref="status_changes", on_delete="CASCADE")
    old_status = peewee.CharField(max_length=20, default="")
    status = peewee.CharField(max_length=20)
    reason = peewee.TextField(default="")
    changed_on = peewee.DateField()
    created_at = peewee.DateTimeField(default=utcnow)
    actor = peewee.ForeignKeyField(User, null=True, backref="city_status_changes", on_delete="SET NULL")


IMPORT_JOB_STATES = {"checking": "Checking the file", "checked": "Checked", "importing": "Importing",
                     "done": "Imported", "failed": "Stopped"}


class ImportJob(BaseModel):
    """An uploaded CSV file checked, then imported, in the background (crm.membership.importjobs)."""

    kind = peewee.CharField(max_length=20)  # cities, contacts
    state = peewee.CharField(max_length=20, default="checking")
    mode = peewee.CharField(max_length=10, default="skip")
    only_valid = peewee.BooleanField(default=False)
    actor_id = peewee.IntegerField(null=True)
    filename = peewee.CharField(max_length=200, default="")
    text = peewee.TextField(default="")  # the file, emptied once imported
    rows_done = peewee.IntegerField(default=0)
    rows_total = peewee.IntegerField(default=0)
    report = peewee.TextField(default="{}")  # JSON: counts, first errors and notes, preview, result
    message = peewee.TextField(default="")
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)

    @property
    def data(self) -> dict:
        return json.loads(self.report or "{}")

    @property
    def running(self) -> bool:
        return self.state in ("checking", "importing")
