"""Agenda editing: overlapping sessions are pointed out (never refused), removals are confirmed, speakers are
found in a long list by name and those chosen stay first."""

from __future__ import annotations

import shutil

import pytest

from crm.events import services
from crm.events.models import Session
from tests.helpers import sign_in_page


def _add(staff, event, day, start, end, title, **extra):
    return staff.post(f"/events/{event.id}/agenda", data={
        "day": day.isoformat(), "start": start, "end": end, "title": title, "kind": "session", "place": "",
        "description": "", **extra}, follow_redirects=True)


def test_an_overlapping_session_is_saved_with_a_warning(login_as, make_event):
    staff = login_as("staff")
    event = make_event(hours=10)
    day = services.to_local(event.starts_at, "Europe/Oslo").date()
    first = " ".join(_add(staff, event, day, "10:00", "11:00", "Opening").get_data(as_text=True).split())
    assert "Saved &#39;Opening&#39;" in first and "overlaps" not in first
    second = " ".join(_add(staff, event, day, "10:30", "11:30", "Workshop A").get_data(as_text=True).split())
    assert "It overlaps &#39;Opening&#39; (10:00–11:00)." in second
    assert Session.select().count() == 2  # saved all the same: parallel tracks are allowed
    assert "⚠ Overlaps 'Workshop A'" in second and "⚠ Overlaps 'Opening'" in second
    third = " ".join(_add(staff, event, day, "11:30", "12:00", "Lunch").get_data(as_text=True).split())
    assert "It overlaps" not in third  # touching end to start is no overlap
    public = staff.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Overlaps" not in public  # the warning is for the planners only
    assert 'data-confirm="Remove \'Lunch\' from the agenda?"' in third


def test_speakers_already_chosen_come_first_in_the_list(login_as, make_event, make_contact):
    staff = login_as("staff")
    event = make_event(hours=10)
    for n in range(30):
        make_contact(name=f"Aaron {n:02d}")
    zoe = make_contact(name="Zoë Speaker", organisation="University of Bergen")
    day = services.to_local(event.starts_at, "Europe/Oslo").date()
    _add(staff, event, day, "10:00", "11:00", "Keynote", speakers=[str(zoe.id)])
    session = Session.get()
    html = staff.get(f"/events/{event.id}/agenda/{session.id}").get_data(as_text=True)
    boxes = html.split('class="scroll-box"', 1)[1]
    assert boxes.index("Zoë Speaker — University of Bergen") < boxes.index("Aaron 00")
    assert f'value="{zoe.id}" checked' in boxes


@pytest.mark.browser
def test_find_a_speaker_and_confirm_a_removal(page, make_user, make_event, make_contact, tmp_path):
    make_user("staff", email="planner@example.org")
    event = make_event(hours=10)
    for n in range(40):
        make_contact(name=f"Contact {n:02d}", organisation="City hall")
    make_contact(name="Kari Nordmann", organisation="University of Oslo")
    sign_in_page(page, "planner@example.org")
    page.goto(f"/events/{event.id}/agenda")
    page.get_by_label("Starts").fill("10:00")
    page.get_by_label("Ends").fill("11:00")
    page.get_by_label("Title").fill("Opening")
    page.get_by_label("Find speakers by name or organisation").fill("oslo")
    visible = page.locator(".scroll-box label:visible")
    assert visible.count() == 1 and "Kari Nordmann" in visible.inner_text()
    page.get_by_label("Kari Nordmann — University of Oslo").check()
    page.get_by_label("Find speakers by name or organisation").fill("contact 1")
    assert page.get_by_label("Kari Nordmann — University of Oslo").is_visible()  # a ticked one stays in view
    page.screenshot(path=str(tmp_path / "speaker-search.png"), full_page=True)
    page.get_by_role("button", name="Add to the agenda").click()
    page.wait_for_load_state()
    assert "Kari Nordmann (University of Oslo)" in page.locator(".timetable").inner_text()
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Remove Opening").click()
    page.wait_for_timeout(300)
    assert asked == ["Remove 'Opening' from the agenda?"] and Session.select().count() == 1
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Remove Opening").click()
    page.wait_for_load_state()
    assert page.get_by_text("Removed 'Opening' from the agenda.").is_visible() and Session.select().count() == 0
    shutil.copytree(tmp_path, "/tmp/agenda-shots", dirs_exist_ok=True)
