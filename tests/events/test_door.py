"""At the door: walk-ins over capacity in one step, the check-in window with a recorded staff override,
and refusals that keep what was typed."""

from __future__ import annotations

import datetime as dt

import pytest

from crm.audit.models import AuditEntry
from crm.db import utcnow
from crm.events import services
from crm.events.models import Registration
from tests.events.conftest import reload


@pytest.fixture
def full_event(make_event, make_contact):
    """An event starting in two hours with both of its two seats taken."""
    event = make_event(capacity=2, starts_in=dt.timedelta(hours=2))
    for name in ("Kari Nordmann", "Jean Dupont"):
        services.register(event, contact=make_contact(name=name), details={})
    return event


def test_walk_in_at_a_full_event_is_added_over_capacity_in_one_step(login_as, full_event):
    staff = login_as("staff")
    event = full_event
    page = staff.get(f"/events/{event.id}/check-in").get_data(as_text=True)
    assert "All 2 seats are taken." in page and "Add over capacity" in page
    refused = staff.post(f"/events/{event.id}/walk-in", data={"name": "Lars Holm", "email": "lars@example.org",
                                                               "organisation": "Local paper", "sector": "media"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Tick “Add over capacity” to add Lars Holm anyway" in html
    assert 'value="Lars Holm"' in html and 'value="lars@example.org"' in html and 'value="Local paper"' in html
    assert Registration.select().count() == 2
    added = staff.post(f"/events/{event.id}/walk-in", data={"name": "Lars Holm", "email": "lars@example.org",
                                                             "organisation": "Local paper", "sector": "media",
                                                             "over_capacity": "y"})
    assert added.status_code == 302
    reg = Registration.get(Registration.source == "walk_in_over")
    assert reg.status == "registered" and reg.checked_in_at is not None and reg.contact.name == "Lars Holm"
    assert services.counts(event)["registered"] == 3 and services.counts(event)["over_capacity"] == 1
    page = staff.get(f"/events/{event.id}/check-in").get_data(as_text=True)
    assert "Added Lars Holm as a walk-in over capacity, checked in." in page
    assert "1 walk-in over capacity" in page
    report = staff.get(f"/events/{event.id}/report").get_data(as_text=True)
    assert '<span id="over-capacity">1 walk-in over capacity</span>' in report
    entry = AuditEntry.get(AuditEntry.action == "registration.walk_in")
    assert entry.summary.endswith("(over capacity)") and entry.changes["source"] == "walk_in_over"


def test_a_walk_in_with_a_free_seat_is_not_over_capacity(login_as, make_event):
    staff = login_as("staff")
    event = make_event(capacity=5, starts_in=dt.timedelta(hours=2))
    assert "Add over capacity" not in staff.get(f"/events/{event.id}/check-in").get_data(as_text=True)
    staff.post(f"/events/{event.id}/walk-in", data={"name": "Ola", "sector": "media", "over_capacity": "y"})
    assert Registration.get().source == "walk_in"


@pytest.mark.parametrize("starts_in, hours, open_", [
    (dt.timedelta(days=70), 8, False),          # ten weeks ahead: not yet
    (dt.timedelta(days=3), 8, False),
    (dt.timedelta(hours=20), 8, True),          # the day before (or the same day) in the event's zone
    (dt.timedelta(hours=-2), 8, True),          # under way
    (dt.timedelta(hours=-30), 8, False),        # over
])
def test_check_in_is_open_from_the_day_before_until_the_end(login_as, make_event, make_contact, starts_in, hours,
                                                             open_):
    staff = login_as("staff")
    event = make_event(capacity=5, starts_in=starts_in, hours=hours, timezone="UTC")
    reg = Registration.create(event=event, contact=make_contact(name="Kari Nordmann"), status="registered")
    response = staff.post(f"/events/{event.id}/check-in/{reg.id}", data={"present": "1"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert (reload(reg).checked_in_at is not None) == open_
    if not open_:
        assert "Check-in is open from" in html and "Check in anyway (recorded)" in html


def test_staff_override_outside_the_window_is_recorded(login_as, make_event, make_contact):
    staff = login_as("staff")
    event = make_event(capacity=1, starts_in=dt.timedelta(days=70))
    reg = services.register(event, contact=make_contact(name="Kari Nordmann"), details={})[0]
    page = staff.get(f"/events/{event.id}/check-in?override=1").get_data(as_text=True)
    assert '<input type="hidden" name="override" value="1">' in page and "Override:" in page
    response = staff.post(f"/events/{event.id}/check-in/{reg.id}", data={"present": "1", "override": "1"})
    assert response.headers["Location"].endswith("override=1")
    assert reload(reg).checked_in_at is not None
    entry = AuditEntry.get(AuditEntry.action == "registration.check_in")
    assert entry.changes["override"].startswith("Check-in is open from")
    # a walk-in outside the window needs the override too, and a full event the tick as well
    refused = staff.post(f"/events/{event.id}/walk-in", data={"name": "Early Bird", "sector": "media"})
    assert refused.status_code == 400 and "Check-in is open from" in refused.get_data(as_text=True)
    added = staff.post(f"/events/{event.id}/walk-in", data={"name": "Early Bird", "sector": "media",
                                                             "override": "1", "over_capacity": "y"})
    assert added.status_code == 302
    assert Registration.get(Registration.source == "walk_in_over").checked_in_at is not None
    assert utcnow() < event.starts_at
