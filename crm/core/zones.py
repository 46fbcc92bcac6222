"""Time zones people choose from: IANA's canonical names, grouped by country, and a user's own zone."""

from __future__ import annotations

import datetime as dt
import functools
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


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
    from crm.i18n import country_name

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


def valid_zone(name: str | None) -> ZoneInfo | None:
    """The zone called ``name``, or None for an empty or unknown name."""
    if not name or name in ("UTC",):
        return ZoneInfo("UTC") if name == "UTC" else None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def in_zone(value: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """A stored naive UTC time as an aware time in ``zone``."""
    return value.replace(tzinfo=dt.UTC).astimezone(zone)
