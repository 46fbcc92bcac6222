"""Seats and the waiting list.

Every change to who holds a seat runs inside ``run_locked``: a transaction that holds the event's
write lock (``SELECT … FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), so counting the
seats and inserting the registration cannot interleave with another request, and capacity is never
exceeded however many people register at the same moment.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from contextlib import contextmanager

import peewee

from crm.db import database, utcnow
from crm.events.models import OFFERED, SEAT_HOLDING, WAITING, Event, Registration

LOCK_ATTEMPTS = 6


def _is_sqlite() -> bool:
    return isinstance(database.obj, peewee.SqliteDatabase)


@contextmanager
def locked_event(event_id: int):
    """Open a transaction holding the write lock of event ``event_id`` and yield the fresh event."""
    db = database.obj
    if _is_sqlite():
        # BEGIN IMMEDIATE takes SQLite's write lock now, not at the first write: two requests can no
        # longer both count the seats before either inserts. Nested calls run in the outer lock.
        ctx = db.atomic("IMMEDIATE") if db.transaction_depth() == 0 else db.atomic()
        with ctx:
            yield Event.get_by_id(event_id)
    else:
        with db.atomic():
            yield Event.select().where(Event.id == event_id).for_update().get()


def run_locked(event_id: int, func, *args, **kwargs):
    """Run ``func(event, *args, **kwargs)`` with the event locked; retry briefly on lock errors."""
    nested = database.obj.transaction_depth() > 0
    for attempt in range(LOCK_ATTEMPTS):
        try:
            with locked_event(event_id) as event:
                return func(event, *args, **kwargs)
        except (peewee.OperationalError, peewee.IntegrityError) as exc:
            # A busy database, a deadlock, or a contact created by a concurrent request: try again.
            if nested or attempt == LOCK_ATTEMPTS - 1 or not _retryable(exc):
                raise
            time.sleep(0.05 * (attempt + 1) + random.random() * 0.05)
    raise AssertionError("unreachable")


def _retryable(exc) -> bool:
    text = str(exc).lower()
    return isinstance(exc, peewee.IntegrityError) or any(
        word in text for word in ("locked", "busy", "deadlock", "could not serialize", "lock"))


def seats_taken(event: Event) -> int:
    """Return the number of seats held (registered, or offered and not yet answered)."""
    return (Registration
            .select()
            .where(Registration.event == event, Registration.status.in_(SEAT_HOLDING))
            .count())


def seats_left(event: Event) -> int | None:
    """Return the free seats, or None when the event has no limit."""
    if event.capacity is None:
        return None
    return max(0, event.capacity - seats_taken(event))


def waiting_query(event: Event):
    """Return the waiting list in order."""
    return (Registration
            .select()
            .where(Registration.event == event, Registration.status == WAITING)
            .order_by(Registration.waiting_position, Registration.id))


def next_position(event: Event) -> int:
    """Return the position at the end of the waiting list."""
    top = (Registration
           .select(peewee.fn.MAX(Registration.waiting_position))
           .where(Registration.event == event, Registration.status == WAITING)
           .scalar())
    return (top or 0) + 1


def compact_waiting(event: Event) -> None:
    """Renumber the waiting list 1..N in its current order (after someone left it)."""
    for number, reg in enumerate(waiting_query(event), start=1):
        if reg.waiting_position != number:
            Registration.update(waiting_position=number).where(Registration.id == reg.id).execute()


def place_in_waiting(event: Event, reg: Registration, position: int | None) -> None:
    """Put ``reg`` (not yet waiting) at ``position`` of the waiting list (default: the end)."""
    others = list(waiting_query(event).where(Registration.id != reg.id))
    position = len(others) + 1 if position is None else max(1, min(position, len(others) + 1))
    others.insert(position - 1, reg)
    reg.status, reg.waiting_position = WAITING, position
    reg.offered_at = reg.offer_expires_at = None
    reg.save()
    for number, item in enumerate(others, start=1):
        if item.id != reg.id and item.waiting_position != number:
            Registration.update(waiting_position=number).where(Registration.id == item.id).execute()


def offer_deadline(event: Event, now: dt.datetime) -> dt.datetime:
    """Return when an offer made now expires: ``offer_hours`` later, but never after the start."""
    return min(now + dt.timedelta(hours=event.offer_hours or 48), event.starts_at)


def next_offers(event: Event) -> list[Registration]:
    """Turn the first people waiting into offers while seats are free; return the new offers.

    Call with the event locked. No offers are made for an event that has started or is not published.
    """
    now = utcnow()
    if event.status != "published" or event.starts_at <= now:
        return []
    offers = []
    free = seats_left(event)
    queue = list(waiting_query(event))
    while queue and (free is None or free > 0):
        reg = queue.pop(0)
        reg.status, reg.waiting_position = OFFERED, None
        reg.offered_at, reg.offer_expires_at, reg.updated_at = now, offer_deadline(event, now), now
        reg.save()
        offers.append(reg)
        if free is not None:
            free -= 1
    if offers:
        compact_waiting(event)
    return offers
