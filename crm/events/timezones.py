"""Events: wall-clock times in an event's zone, stored as naive UTC."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

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


def format_local(event: Event, value: dt.datetime | None, fmt: str = "%a %d %b %Y, %H:%M", *,
                 viewer: bool = True) -> str:
    """Format a stored UTC time in the event's zone, with the zone's abbreviation, and in the viewer's own
    zone beside it when that differs (a participant in Bogotá reads when an Oslo workshop starts for them);
    month and weekday names in the page's (or the mail's) language."""
    from crm.templating import localized_strftime, viewer_zone

    local = event.local(value)
    if not local:
        return "—"
    shown = f"{localized_strftime(local, fmt)} {local.tzname()}"
    mine = viewer_zone() if viewer else None
    if mine is not None:
        theirs = value.replace(tzinfo=dt.UTC).astimezone(mine)
        if theirs.utcoffset() != local.utcoffset() or theirs.tzname() != local.tzname():
            day = "%a %d %b, " if theirs.date() != local.date() else ""
            yours = localized_strftime(theirs, day + "%H:%M") + " " + theirs.tzname()
            shown += " " + _("(%(time)s your time)", time=yours)
    return shown

