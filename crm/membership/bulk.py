"""Bulk work on the member-city list: change the status of a selection, export it.

A selection is either the ids ticked on a page or "all matching", which re-runs the list's filters at the
time of the action. A status change goes through ``change_city_status`` for each city (its history row,
its audit entry, the mail to its focal points) inside one transaction, with one more audit entry naming
the count and the ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.audit.services import record
from crm.db import database
from crm.membership.models import CITY_STATUSES, City
from crm.membership.services import MembershipError, change_city_status, list_cities

CONFIRM_ABOVE = 20  # more cities than this: a confirmation page first
ACTIONS = {"status": _l("Change the status"), "export": _l("Export as CSV")}
EXPORT_COLUMNS = ["name", "country", "region", "level", "population", "languages", "expertise", "status",
                  "joined_on", "website"]


@dataclass
class StatusResult:
    """The cities whose status changed, and those that already had the status asked for."""

    changed: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)


def plural(count: int) -> str:
    """Return "1 city" or "12 cities"."""
    return f"{count} {'city' if count == 1 else 'cities'}"


def selected_cities(filters: dict, ids, *, all_matching: bool):
    """Return the query of the cities chosen: the whole filtered list, or the ticked ids."""
    if all_matching:
        return list_cities(**{k: v for k, v in filters.items() if k != "sort"}, sort=filters.get("sort") or "name")
    wanted = sorted({int(i) for i in ids if str(i).isdigit()})
    return City.select().where(City.id.in_(wanted)).order_by(City.name_key, City.id)


def export_row(city: City) -> list:
    """Return a city's cells in ``EXPORT_COLUMNS`` order."""
    return [city.name, city.country, city.region, city.level, city.population, city.languages, city.expertise,
            city.status, city.joined_on.isoformat() if city.joined_on else "", city.website]


def change_status(query, status: str, *, reason: str, actor) -> StatusResult:
    """Move every city of the selection to ``status`` with ``reason``, in one transaction; the others are left."""
    if status not in CITY_STATUSES:
        raise MembershipError(_("Choose the new status."))
    if not (reason or "").strip():
        raise MembershipError(_("Give the reason for the change: it is kept in each city's membership history."))
    result = StatusResult()
    with database.atomic():
        for city in list(query):
            if city.status == status:
                result.unchanged.append(city.id)
            else:
                change_city_status(city, status, reason=reason, actor=actor)
                result.changed.append(city.id)
        record(actor, "city.bulk_status", object_type="City",
               summary=f"Moved {plural(len(result.changed))} to {status}",  # the audit log stays in English
               changes={"status": status, "reason": reason.strip(), "count": len(result.changed),
                        "ids": sorted(result.changed), "unchanged": len(result.unchanged)})
    return result


def export_selection(query, *, actor) -> tuple[list[str], list[list]]:
    """Return the header and rows of the selection (the city export's columns); the export is audited."""
    rows, ids = [], []
    for city in query:
        rows.append(export_row(city))
        ids.append(city.id)
    with database.atomic():
        record(actor, "city.bulk_export", object_type="City", summary=f"Exported {plural(len(ids))} as CSV",
               changes={"count": len(ids), "ids": ids})
    return EXPORT_COLUMNS, rows
