"""What the events feature answers when another feature asks about events (``crm.core.signals``)."""

from __future__ import annotations

from crm.core import signals
from crm.db import utcnow
from crm.events.models import DRAFT, PUBLISHED, Event


@signals.invitable_events.connect
def invitable_events(_sender) -> list[tuple[int, str]]:
    """The upcoming draft and published events, the soonest first, as ``(id, "title (day, in the event's zone)")``."""
    events = (Event.select(Event.id, Event.title, Event.starts_at, Event.timezone)
              .where(Event.status.in_((DRAFT, PUBLISHED)), Event.starts_at >= utcnow())
              .order_by(Event.starts_at, Event.id))
    return [(event.id, f"{event.title} ({event.local(event.starts_at):%Y-%m-%d})") for event in events]
