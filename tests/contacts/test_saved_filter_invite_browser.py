"""In a real browser: staff save a contact filter and reopen it, then invite the contacts it finds to an event
through the event's own preview and confirmation."""

import datetime as dt
import shutil

import pytest

from crm.contacts.models import Contact
from crm.db import utcnow
from crm.events.models import Event, Invitation
from tests.helpers import sign_in_page

pytestmark = pytest.mark.browser

SHOTS = "/tmp/issue11-shots"


def test_save_a_filter_reuse_it_and_invite_its_contacts(page, make_user, tmp_path):
    make_user("staff", email="desk@example.org", name="Desk Officer")
    for n in range(7):
        Contact.create(name=f"Acme Person {n}", name_key=f"acme person {n}", organisation="Acme Lab",
                       email=f"acme{n}@example.org", sector="academia")
    Contact.create(name="Other Person", name_key="other person", organisation="Elsewhere", email="o@example.org")
    start = (utcnow() + dt.timedelta(days=21)).replace(microsecond=0)
    event = Event.create(title="Recovery workshop", kind="workshop", timezone="Europe/Oslo", starts_at=start,
                         ends_at=start + dt.timedelta(hours=6), capacity=30, status="published", visibility="members")
    sign_in_page(page, "desk@example.org")

    page.goto("/contacts/?q=Acme&sector=academia")
    page.get_by_text("Save these filters").click()
    page.get_by_label("Name", exact=True).fill("Acme researchers")
    page.get_by_label("Share with all staff").check()
    page.get_by_role("button", name="Save the filters").click()
    page.get_by_text("Saved the filter “Acme researchers”").wait_for()
    page.goto("/contacts/")
    page.screenshot(path=str(tmp_path / "saved-filter.png"), full_page=True)
    page.get_by_test_id("saved-filters").get_by_role("link", name="Acme researchers").click()
    page.wait_for_url("**/contacts/?q=Acme&sector=academia")
    assert page.get_by_role("checkbox", name="Choose Other Person").count() == 0

    page.get_by_role("button", name="Select all on this page").click()
    page.get_by_label("Action", exact=True).select_option("invite")
    page.get_by_label("Event", exact=True).select_option(str(event.id))
    page.get_by_role("button", name="Apply to the chosen contacts").click()
    page.wait_for_url(f"**/events/{event.id}/invite?selection=*")
    page.get_by_test_id("selection-notice").wait_for()
    page.screenshot(path=str(tmp_path / "invite-preselected.png"), full_page=True)
    assert page.locator("input[name=contacts]:checked").count() == 7
    page.get_by_role("button", name="Send the invitations").click()
    page.get_by_role("heading", name="Send 7 invitations?").wait_for()
    assert Invitation.select().count() == 0
    page.screenshot(path=str(tmp_path / "invite-confirm.png"), full_page=True)
    page.get_by_role("button", name="Confirm: send 7 invitations").click()
    page.get_by_text("7 invitations queued").wait_for()
    assert sorted(i.contact.name for i in Invitation.select()) == [f"Acme Person {n}" for n in range(7)]
    shutil.copytree(tmp_path, SHOTS, dirs_exist_ok=True)
