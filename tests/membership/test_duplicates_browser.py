"""In a real browser: a duplicate application caught (the applicant warned softly, staff shown the possible
duplicate) and the two cities merged; and a walk-in added at a full event in one step."""

import datetime as dt
import shutil

import pytest

from crm.contacts.models import Contact
from crm.db import utcnow
from crm.membership.models import Application, City
from tests.helpers import sign_in_page

pytestmark = pytest.mark.browser

SHOTS = "/tmp/issue11-shots"


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_duplicate_application_caught_and_merged(page, make_user, make_city, smtp, tmp_path):
    make_user("staff", email="desk@example.org", name="Desk Officer")
    medellin = make_city("Medellín", country="CO", region="latin_america_caribbean")
    Contact.create(name="Ana Ruiz", name_key="ana ruiz", email="ana@medellin.example.org", city=medellin,
                   city_role="focal_point")
    shots = tmp_path / "shots"
    shots.mkdir()

    # A visitor applies for "city of MEDELLIN": accepted, with a soft warning.
    page.goto("/apply")
    page.get_by_label("Name of the local authority").fill("city of MEDELLIN")
    page.get_by_label("Level of government").select_option("city")
    page.get_by_label("Country").fill("Colombia")
    page.get_by_label("Official website").fill("https://www.medellin.gov.co")
    page.get_by_role("group", name="Languages used").get_by_label("Spanish").check()
    page.get_by_label("Your name").fill("Luis Gómez")
    page.get_by_label("Your position").fill("Security secretary")
    page.get_by_label("Your official email").fill("luis@medellin.example.org")
    page.get_by_label("Mayor or elected leader").fill("Mayor")
    page.get_by_label("Why do you want to join?").fill("To learn from peers.")
    page.get_by_label("I agree to the processing of this data").check()
    page.get_by_role("button", name="Send the application").click()
    page.wait_for_url("**/apply/sent")
    warning = page.get_by_test_id("similar-members")
    assert "Medellín" in warning.inner_text() and "nothing more to do" in warning.inner_text()
    page.screenshot(path=str(shots / "1-sent-with-warning.png"), full_page=True)
    page.reload()  # refreshing the thank-you page sends nothing again
    assert page.get_by_test_id("reference").is_visible()
    assert Application.select().count() == 1

    # A 200-character unbroken name wraps in the review queue instead of widening it.
    long_name = "X" * 200
    Application.create(reference="SCN-LONG", authority_name=long_name, name_key=long_name.lower(), level="city",
                       country="NO", applicant_name="Long", applicant_email="long@example.org",
                       consent_at=utcnow(), consent_version="2026-01")

    # Staff see the possible duplicate, approve, then merge the new city into Medellín.
    sign_in_page(page, "desk@example.org")
    page.goto("/applications/")
    assert _page_width(page) <= 1280
    page.screenshot(path=str(shots / "2-queue-long-name.png"), full_page=True)
    page.get_by_role("link", name="city of MEDELLIN").click()
    panel = page.get_by_test_id("possible-duplicates")
    assert panel.get_by_role("link", name="Medellín").is_visible()
    assert "same name" in panel.inner_text()
    page.screenshot(path=str(shots / "3-review-possible-duplicates.png"), full_page=True)
    page.get_by_role("button", name="Approve").click()
    assert page.get_by_text("Approved: city of MEDELLIN is a member").is_visible()
    page.get_by_role("link", name="Merge city of MEDELLIN into Medellín").click()
    assert "1 × Application" in page.get_by_test_id("merge-links").inner_text()
    page.screenshot(path=str(shots / "4-merge-preview.png"), full_page=True)
    page.get_by_role("button", name="Merge into Medellín").click()
    assert page.get_by_text("every link now points to Medellín").is_visible()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Medellín")
    assert page.get_by_text("Luis Gómez").first.is_visible() and page.get_by_text("Ana Ruiz").first.is_visible()
    page.screenshot(path=str(shots / "5-merged.png"), full_page=True)
    assert [c.name for c in City.select()] == ["Medellín"]
    assert Application.get(Application.reference != "SCN-LONG").city_id == medellin.id
    shutil.copytree(shots, SHOTS, dirs_exist_ok=True)


def test_a_walk_in_added_at_a_full_event(page, make_user, tmp_path):
    from crm.events import services
    from crm.events.models import Event, Registration

    make_user("staff", email="door@example.org", name="Door Keeper")
    start = utcnow().replace(microsecond=0) + dt.timedelta(hours=2)
    event = Event.create(title="Community forum", kind="workshop", timezone="Europe/Oslo", starts_at=start,
                         ends_at=start + dt.timedelta(hours=4), capacity=1, status="published",
                         visibility="members")
    services.register(event, contact=Contact.create(name="Kari Nordmann", email="kari@example.org"), details={})
    shots = tmp_path / "shots"
    shots.mkdir()

    sign_in_page(page, "door@example.org")
    page.set_viewport_size({"width": 390, "height": 844})  # at the door, on a phone
    page.goto(f"/events/{event.id}/check-in")
    page.get_by_text("Add a walk-in").click()
    door = page.locator("#walk-in form")
    door.get_by_label("Name").fill("Lars Holm")
    door.get_by_label("Email").fill("lars@example.org")
    door.get_by_label("Organisation").fill("Local paper")
    page.get_by_role("button", name="Add and check in").click()
    # Full: the form comes back with everything typed and the one tick that adds over capacity.
    assert page.get_by_text("Tick “Add over capacity” to add Lars Holm anyway").is_visible()
    door = page.locator("#walk-in form")
    assert door.get_by_label("Name").input_value() == "Lars Holm"
    assert door.get_by_label("Organisation").input_value() == "Local paper"
    page.screenshot(path=str(shots / "6-walk-in-full.png"), full_page=True)
    page.get_by_label("Add over capacity").check()
    page.get_by_role("button", name="Add and check in").click()
    assert page.get_by_text("Added Lars Holm as a walk-in over capacity, checked in.").is_visible()
    assert "1 walk-in over capacity" in page.locator("#checkin-counts").inner_text()
    assert page.get_by_role("button", name="Undo check-in of Lars Holm").is_visible()
    page.screenshot(path=str(shots / "7-walk-in-added.png"), full_page=True)
    assert Registration.get(Registration.source == "walk_in_over").checked_in_at is not None
    shutil.copytree(shots, SHOTS, dirs_exist_ok=True)
