"""Staff open a city's journey from its page, filter its timeline, then the dormant members list from the
dashboard, in Chromium."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.helpers import sign_in_page
from tests.test_accessibility import _violations

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/journeys-shots")


def test_staff_open_a_city_journey_and_the_dormant_list(page, history, make_user, tmp_path):
    staff = make_user("staff")
    reports = []
    page.on("console", lambda m: reports.append(m.text) if "Content Security Policy" in m.text else None)
    axe, problems = Axe(), []
    sign_in_page(page, staff.email)

    page.goto(f"/cities/{history.river.id}")
    page.get_by_role("link", name="The journey of Rivertown: its timeline and engagement").click()
    page.wait_for_url(f"**/cities/{history.river.id}/journey")
    assert page.get_by_role("heading", level=1).inner_text() == "Journey of Rivertown"
    assert page.get_by_test_id("events-12m").inner_text() == "1"
    assert page.get_by_test_id("open-workspaces").inner_text() == "1"
    entries = page.locator(".journey-entry")
    assert entries.count() >= 20
    assert "Network news" in entries.first.inner_text()
    assert "Application SCN-2024-0001: submitted" in entries.last.inner_text()
    # the timeline's stylesheet is applied (a grid of date, kind and text), not blocked
    assert entries.first.evaluate("e => getComputedStyle(e).display") == "grid"
    shots = tmp_path / "shots"
    shots.mkdir()
    page.screenshot(path=str(shots / "city-journey.png"), full_page=True)
    problems += _violations(axe, page)

    page.get_by_role("navigation", name="Show one kind of entry").get_by_role("link", name="Lesson").click()
    page.wait_for_url("**/journey?kind=lesson")
    assert page.locator(".journey-entry").count() == 3
    page.get_by_role("link", name="Lesson published: Talking to families first").click()
    page.wait_for_url(f"**/lessons/{history.lesson.id}")

    page.goto("/dashboard")
    page.get_by_role("link", name="Dormant members to reach out to").click()
    page.wait_for_url("**/journeys/dormant")
    rows = page.locator(".dormant-row")
    assert rows.count() == 1 and "Quietville" in rows.first.inner_text() and "Quinn Quiet" in rows.first.inner_text()
    page.get_by_label("No activity in the last").select_option("3")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/journeys/dormant?months=3*")
    assert page.get_by_test_id("dormant-count").inner_text().startswith("1 of 4")  # Quietville still alone at 3
    page.screenshot(path=str(shots / "dormant.png"), full_page=True)
    problems += _violations(axe, page)
    page.goto(f"/contacts/{history.ana.id}/journey")
    assert page.get_by_role("heading", level=1).inner_text() == "Journey of Ana Focal"
    problems += _violations(axe, page)
    assert problems == [], "\n".join(problems)  # no serious or critical accessibility violation
    assert not reports, reports

    SHOTS.mkdir(exist_ok=True)
    for shot in shots.iterdir():
        shutil.copy(shot, SHOTS / shot.name)
