"""The invite page in a real browser: select all, the send button in reach, a confirmation with a preview."""

import shutil

import pytest

from crm.events.models import Invitation
from tests.helpers import sign_in_page, wait_for_mail

pytestmark = pytest.mark.browser


def test_select_all_then_confirm_before_thirty_invitations_go(page, make_user, make_event, make_contact, smtp,
                                                               tmp_path):
    make_user("staff", email="desk@example.org", name="Desk Officer")
    event = make_event(title="Recovery workshop", capacity=80)
    people = [make_contact(name=f"Official {n:02d}", email=f"official{n}@example.org", sector="city_government")
              for n in range(30)]
    make_contact(name="Zed Nomail", email=None)
    sign_in_page(page, "desk@example.org")
    page.goto(f"/events/{event.id}/invite")
    send = page.get_by_role("button", name="Send the invitations")
    # 31 rows, and the button is on screen without scrolling (sticky at the bottom).
    box = send.bounding_box()
    assert box and box["y"] + box["height"] <= page.viewport_size["height"], box
    assert page.get_by_role("cell", name="City government").count() == 30  # labels, not codes
    page.get_by_role("button", name="Select all shown").click()
    assert page.get_by_text("30 chosen").is_visible()  # the one without an address has no box
    page.screenshot(path=str(tmp_path / "1-invite-all.png"))
    page.get_by_role("button", name="Select none").click()
    assert page.get_by_text("0 chosen").is_visible()
    page.get_by_role("button", name="Select all shown").click()
    page.get_by_label("Personal message").fill("Your city's experience would help others.")
    send.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Send 30 invitations?"
    assert "Your city's experience would help others." in page.get_by_test_id("invitation-preview").inner_text()
    assert Invitation.select().count() == 0
    page.screenshot(path=str(tmp_path / "2-confirm.png"), full_page=True)
    page.get_by_role("button", name="Confirm: send 30 invitations").click()
    page.wait_for_load_state()
    assert page.get_by_text("30 invitations queued").is_visible()
    assert Invitation.select().count() == 30
    assert "Your city's experience would help others." in smtp.text(wait_for_mail(smtp, people[-1].email))
    assert "30" in page.get_by_test_id("invitation-pipeline").inner_text()
    page.screenshot(path=str(tmp_path / "3-sent.png"), full_page=True)
    shutil.copytree(tmp_path, "/tmp/invite-shots", dirs_exist_ok=True)
