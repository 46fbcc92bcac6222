"""Duplicate cities: possible duplicates of a name (folded, without authority words, spelling variants) and
merging two member cities with every link kept."""

from __future__ import annotations

from dataclasses import dataclass

import peewee

from crm.audit.models import AuditEntry
from crm.audit.services import record
from crm.core.errors import DomainError
from crm.core.names import SIMILAR_NAMES, core_name, name_similarity
from crm.db import database, utcnow
from crm.indexing import touch
from crm.membership.models import OPEN_APPLICATION_STATUSES, Application, City

CITY_SNAPSHOT_FIELDS = ("name", "country", "region", "level", "population", "website", "languages", "expertise",
                        "status", "joined_on", "focal_point_available")


class MergeError(DomainError):
    """A user-facing refusal of a city merge."""


@dataclass
class PossibleDuplicate:
    """A member city or an open application whose name is (nearly) the same, in the same country."""

    kind: str  # "city" or "application"
    record: City | Application
    name: str
    level: str
    status: str
    score: float

    @property
    def same_name(self) -> bool:
        return self.score >= 1.0


def possible_duplicates(name: str, country: str, *, exclude_city_id=None,
                        exclude_application_id=None) -> list[PossibleDuplicate]:
    """Return member cities and open applications of ``country`` whose name is like ``name``, likeliest first.

    Names are compared folded (case, accents, "æ" = "ae"), without the words that say what kind of authority
    it is ("City of", "Kommune", "Ville de", ...), across levels, with a similarity threshold for spelling
    variants (``SIMILAR_NAMES``).
    """
    if not core_name(name) or not country:
        return []
    found = []
    cities = City.select().where(City.country == country)
    if exclude_city_id:
        cities = cities.where(City.id != exclude_city_id)
    for city in cities:
        score = name_similarity(name, city.name)
        if score >= SIMILAR_NAMES:
            found.append(PossibleDuplicate("city", city, city.name, city.level, city.status, score))
    applications = (Application.select()
                    .where(Application.country == country, Application.status.in_(OPEN_APPLICATION_STATUSES)))
    if exclude_application_id:
        applications = applications.where(Application.id != exclude_application_id)
    for application in applications:
        score = name_similarity(name, application.authority_name)
        if score >= SIMILAR_NAMES:
            found.append(PossibleDuplicate("application", application, application.authority_name,
                                           application.level, application.status, score))
    return sorted(found, key=lambda d: (-d.score, d.kind != "city", d.record.id))


def merges_into(city: City) -> list[AuditEntry]:
    """Return the audit entries of the cities merged into ``city``, oldest first."""
    return list(AuditEntry.select()
                .where(AuditEntry.action == "city.merge", AuditEntry.object_type == "City",
                       AuditEntry.object_id == str(city.id))
                .order_by(AuditEntry.id))


def merged_city_ids(city: City) -> list[int]:
    """Return the ids of the cities merged into ``city`` (read from the audit log, oldest first)."""
    ids = []
    for entry in merges_into(city):
        merged = entry.changes.get("merged_id")
        if merged:
            ids += [int(merged), *(int(i) for i in entry.changes.get("merged_before", ()))]
    return ids


def _snapshot(city: City) -> dict:
    data = {k: getattr(city, k) for k in CITY_SNAPSHOT_FIELDS}
    data.update(id=city.id, joined_on=city.joined_on.isoformat() if city.joined_on else None)
    return data


def merge_cities(kept: City, other: City, *, actor) -> City:
    """Merge ``other`` into ``kept``: every row pointing at ``other`` moves to ``kept``, then ``other`` is deleted.

    The links are found from the database relations (every foreign key to City), as the contact merge does,
    so a feature's new table is merged without editing this function. A link the kept city already has
    (a lesson shared with both) is dropped rather than duplicated.
    """
    if kept.id == other.id:
        raise MergeError("Choose two different cities to merge.")
    with database.atomic():
        snapshot = _snapshot(other)
        before = merged_city_ids(other)
        touch(other, deleted=True)
        moved = {}
        for field in City._meta.backrefs:
            model, count = field.model, 0
            for row in model.select().where(field == other.id):
                try:
                    with database.atomic():
                        count += (model.update({field: kept.id})
                                  .where(model._meta.primary_key == row._pk).execute())
                except peewee.IntegrityError:  # the kept city already has this link
                    model.delete().where(model._meta.primary_key == row._pk).execute()
            moved[f"{model._meta.table_name}.{field.name}"] = count
        if not kept.joined_on or (other.joined_on and other.joined_on < kept.joined_on):
            kept.joined_on = other.joined_on
        for name in ("languages", "expertise"):
            setattr(kept, name, list(dict.fromkeys(list(getattr(kept, name) or ()) + list(getattr(other, name) or ()))))
        for name in ("population", "website"):
            if not getattr(kept, name) and getattr(other, name):
                setattr(kept, name, getattr(other, name))
        other.delete_instance()
        kept.updated_at = utcnow()
        kept.save()
        touch(kept)
        record(actor, "city.merge", kept, summary=f"Merged city #{snapshot['id']} ({snapshot['name']}) into {kept.name}",
               changes={"merged_id": snapshot["id"], "merged_before": before, "merged": snapshot,
                        "links_moved": {k: v for k, v in moved.items() if v}})
    return kept

