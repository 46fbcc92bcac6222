"""A real browser: staff see the coming anniversaries on the dashboard, open the calendar, choose peers and
draft a solidarity mailing, which opens for editing and sends nothing."""

import re
from pathlib import Path

import pytest

from tests.helpers import sign_in_page

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/anniversaries-shots")


def test_staff_open_the_calendar_and_draft_a_solidarity_mailing(page, live_server, make_user, net):
    from crm import mail
    from crm.mailings.models import Mailing
    from crm.mailings.services import audience

    SHOTS.mkdir(exist_ok=True)
    problems = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    user = make_user("staff", email="desk@example.org")
    sign_in_page(page, user.email)

    panel = page.get_by_role("article").filter(has=page.get_by_role("heading", name="Anniversaries, next 60 days"))
    assert "10th anniversary" in panel.inner_text() and "Bergen" not in panel.inner_text()
    panel.get_by_role("link", name="The anniversaries calendar").click()
    page.wait_for_url("**/anniversaries/")
    assert page.get_by_role("heading", level=1).inner_text() == "Anniversaries"

    row = page.locator(f"#anniversary-{net.rows['tenth'].id}-10")
    assert "Kari Nordvik" in row.inner_text() and "Milestone" in row.inner_text()
    row.get_by_text("Peers to write to").click()
    assert row.get_by_label("Bergen").is_checked()  # same region: suggested
    row.get_by_label("Lyon").check()
    page.screenshot(path=str(SHOTS / "calendar.png"), full_page=True)
    row.get_by_role("button", name="Draft a solidarity mailing").click()

    page.wait_for_url(re.compile(r".*/mailings/\d+/edit$"))
    assert page.get_by_text("Draft saved for 3 recipient(s)").is_visible()
    assert page.get_by_label("Subject").input_value().startswith("Standing with Oslo: 10 years since")
    assert "Dear {{ first_name }}," in page.get_by_label("Message").input_value()
    page.screenshot(path=str(SHOTS / "draft.png"), full_page=True)

    mailing = Mailing.get()
    assert mailing.is_draft
    assert sorted(c.email for c in audience(mailing.mailing_list).recipients) == [
        "bo@bergen.example.org", "lou@lyon.example.org", "mia@bergen.example.org"]
    assert mail.OutboxMail.select().count() == 0
    assert problems == []  # no inline script or style the content security policy would block
