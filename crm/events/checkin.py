"""Events: mark people present on the day, and add walk-ins."""

from __future__ import annotations

import datetime as dt

from flask_babel import force_locale
from flask_babel import gettext as _

from crm.audit.services import record
from crm.db import database, utcnow
from crm.events.capacity import compact_waiting, run_locked, seats_left
from crm.events.errors import EventError
from crm.events.models import COMPLETED, PUBLISHED, REGISTERED, WAITING, Event, Registration
from crm.events.registration import find_or_create_contact
from crm.events.timezones import format_local, to_local, to_utc
from crm.membership.models import City

WALK_IN_OVER_CAPACITY = "walk_in_over"  # Registration.source of a walk-in added when every seat was taken


def check_in_window(event: Event) -> tuple[dt.datetime, dt.datetime]:
    """Return when check-in opens (midnight of the day before, in the event's zone) and closes (the end), in UTC."""
    local_start = to_local(event.starts_at, event.timezone)
    opens = to_utc(dt.datetime.combine(local_start.date() - dt.timedelta(days=1), dt.time()), event.timezone)
    return opens, event.ends_at


def check_in_open(event: Event, now: dt.datetime | None = None) -> bool:
    """Whether people can be checked in now without a staff override."""
    opens, closes = check_in_window(event)
    return opens <= (now or utcnow()) <= closes


def window_message(event: Event) -> str:
    """Say when check-in is open, in the event's zone."""
    opens, closes = check_in_window(event)
    return _("Check-in is open from %(opens)s until the end of the event, %(closes)s.",
             opens=format_local(event, opens), closes=format_local(event, closes))


def _window_for_audit(event: Event) -> str:
    """The window message as the audit log keeps it: in English, whoever overrode it."""
    with force_locale("en"):
        return window_message(event)


def _override_needed(event: Event, override: bool) -> bool:
    """Refuse outside the check-in window unless staff override it; return whether this is an override."""
    if check_in_open(event):
        return False
    if not override:
        raise EventError(_("%(window)s To check someone in outside it, use “Check in anyway”: "
                           "it is recorded as an override.", window=window_message(event)))
    return True


def check_in(reg: Registration, *, actor, present: bool = True, override: bool = False) -> Registration:
    """Mark a registered person present (or undo it); outside the check-in window only with a staff override."""
    if reg.status != REGISTERED:
        raise EventError(_("%(name)s is not registered (%(status)s): register them first, or add them as a walk-in.",
                           name=reg.contact.name, status=str(reg.status_label).lower()))
    overridden = _override_needed(reg.event, override) if present else False
    with database.atomic():
        old = reg.checked_in_at
        reg.checked_in_at = utcnow() if present else None
        reg.save()
        record(actor, "registration.check_in" if present else "registration.check_in_undo", reg,
               summary=f"{reg.contact.name} {'present' if present else 'not present'} at {reg.event.title}",
               changes={"checked_in_at": [old, reg.checked_in_at],
                        **({"override": _window_for_audit(reg.event)} if overridden else {})})
    return reg


def add_walk_in(event: Event, *, actor, name: str, email: str = "", organisation: str = "", sector: str = "",
                city: City | None = None, over_capacity: bool = False, override: bool = False) -> Registration:
    """Register someone who turned up without registering, and mark them present.

    When every seat is taken, ``over_capacity`` adds them anyway, recorded as a walk-in over capacity.
    """
    if event.status not in (PUBLISHED, COMPLETED):
        raise EventError(_("Walk-ins can only be added to a published event."))
    overridden = _override_needed(event, override)

    def apply(locked: Event):
        who = find_or_create_contact(name=name, email=email or None, organisation=organisation, sector=sector,
                                     city=city)
        existing = Registration.get_or_none(Registration.event == locked, Registration.contact == who)
        if existing is not None and existing.status == REGISTERED:
            existing.checked_in_at = existing.checked_in_at or utcnow()
            existing.save()
            return existing
        free = seats_left(locked)
        full = free is not None and free <= 0
        if full and not over_capacity:
            raise EventError(_("All %(capacity)s seats are taken. Tick “Add over capacity” to add %(name)s anyway: "
                               "it is recorded as a walk-in over capacity.", capacity=locked.capacity, name=name),
                             field="over_capacity")
        now = utcnow()
        values = dict(status=REGISTERED, source=WALK_IN_OVER_CAPACITY if full else "walk_in", registered_at=now, checked_in_at=now,
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
        record(actor, "registration.walk_in", reg,
               summary=f"Walk-in {who.name} at {locked.title}" + (" (over capacity)" if full else ""),
               changes={"status": REGISTERED, "source": values["source"],
                        **({"override": _window_for_audit(locked)} if overridden else {})})
        return reg

    return run_locked(event.id, apply)
