"""Events: wall-clock times in an event's zone, stored as naive UTC."""

from __future__ import annotations

import datetime as dt
import functools
from importlib import resources
from zoneinfo import ZoneInfo

from crm.events.models import Event


def to_utc(local: dt.datetime | None, zone: str) -> dt.datetime | None:
    """Return a naive wall-clock time in ``zone`` as naive UTC (how every ``*_at`` is stored)."""
    if local is None:
        return None
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(dt.UTC).replace(tzinfo=None)


def to_local(value: dt.datetime | None, zone: str) -> dt.datetime | None:
    """Return a stored naive UTC time as a naive wall-clock time in ``zone`` (for forms)."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC).astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def format_local(event: Event, value: dt.datetime | None, fmt: str = "%a %d %b %Y, %H:%M") -> str:
    """Format a stored UTC time in the event's zone, with the zone's abbreviation."""
    local = event.local(value)
    return f"{local.strftime(fmt)} {local.tzname()}" if local else "—"


@functools.cache
def _zone_table() -> tuple[tuple[str, str, str], ...]:
    """(country code, zone, comment) for each zone of IANA's ``zone.tab``: one canonical name per place,
    no old aliases (``Africa/Asmera`` is listed as ``Africa/Asmara``)."""
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if line and not line.startswith("#"):
            code, _coordinates, zone, *comment = line.split("\t")
            rows.append((code, zone, comment[0] if comment else ""))
    return tuple(rows)


def country_zone(code: str | None) -> str | None:
    """The first (main) zone of a country (``NO`` → ``Europe/Oslo``), or None."""
    return next((zone for c, zone, _ in _zone_table() if c == (code or "").upper()), None)


def zone_choices(current: str | None = None) -> dict[str, list[tuple[str, str]]]:
    """The time zones to choose from, grouped by country (for ``<optgroup>``), with UTC first.

    A zone already stored that is not canonical (an old alias) is kept, under "Other", so editing an event
    never changes its zone behind the user's back.
    """
    from crm.core.names import country_name

    groups: dict[str, list[tuple[str, str]]] = {}
    for code, zone, comment in _zone_table():
        place = zone.rsplit("/", 1)[-1].replace("_", " ")
        groups.setdefault(country_name(code), []).append((zone, f"{place} — {comment}" if comment else place))
    ordered = {"UTC": [("UTC", "UTC")]}
    for name in sorted(groups):
        ordered[name] = sorted(groups[name], key=lambda pair: pair[1])
    known = {zone for _, zone, _ in _zone_table()} | {"UTC"}
    if current and current not in known:
        ordered["Other"] = [(current, current.replace("_", " "))]
    return ordered
