"""Events: mark people present on the day, and add walk-ins."""

from __future__ import annotations

from crm.audit.services import record
from crm.db import database, utcnow
from crm.events.capacity import compact_waiting, run_locked, seats_left
from crm.events.errors import EventError
from crm.events.models import COMPLETED, PUBLISHED, REGISTERED, WAITING, Event, Registration
from crm.events.registration import find_or_create_contact
from crm.membership.models import City


def check_in(reg: Registration, *, actor, present: bool = True) -> Registration:
    """Mark a registered person present (or undo it)."""
    if reg.status != REGISTERED:
        raise EventError(f"{reg.contact.name} is not registered ({reg.status_label.lower()}): "
                         "register them first, or add them as a walk-in.")
    with database.atomic():
        old = reg.checked_in_at
        reg.checked_in_at = utcnow() if present else None
        reg.save()
        record(actor, "registration.check_in" if present else "registration.check_in_undo", reg,
               summary=f"{reg.contact.name} {'present' if present else 'not present'} at {reg.event.title}",
               changes={"checked_in_at": [old, reg.checked_in_at]})
    return reg


def add_walk_in(event: Event, *, actor, name: str, email: str = "", organisation: str = "", sector: str = "",
                city: City | None = None) -> Registration:
    """Register someone who turned up without registering, and mark them present."""
    if event.status not in (PUBLISHED, COMPLETED):
        raise EventError("Walk-ins can only be added to a published event.")

    def apply(locked: Event):
        who = find_or_create_contact(name=name, email=email or None, organisation=organisation, sector=sector,
                                     city=city)
        existing = Registration.get_or_none(Registration.event == locked, Registration.contact == who)
        if existing is not None and existing.status == REGISTERED:
            existing.checked_in_at = existing.checked_in_at or utcnow()
            existing.save()
            return existing
        free = seats_left(locked)
        if free is not None and free <= 0:
            raise EventError(f"All {locked.capacity} seats are taken. Raise the capacity on the event's page "
                             "to add walk-ins.")
        now = utcnow()
        values = dict(status=REGISTERED, source="walk_in", registered_at=now, checked_in_at=now,
                      waiting_position=None, organisation=organisation, sector=sector or who.sector,
                      cancelled_at=None, offer_expires_at=None, updated_at=now)
        if existing is not None:
            was_waiting = existing.status == WAITING
            for key, value in values.items():
                setattr(existing, key, value)
            existing.save()
            reg = existing
            if was_waiting:
                compact_waiting(locked)
        else:
            reg = Registration.create(event=locked, contact=who, **values)
        record(actor, "registration.walk_in", reg, summary=f"Walk-in {who.name} at {locked.title}",
               changes={"status": REGISTERED, "source": "walk_in"})
        return reg

    return run_locked(event.id, apply)
