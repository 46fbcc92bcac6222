"""In a real browser: staff select all the contacts a filter matches (more than a page) and tag them."""

import pytest

from crm.contacts.models import Contact
from tests.helpers import sign_in_page

pytestmark = pytest.mark.browser


def test_select_all_matching_contacts_and_tag_them(page, make_user, tmp_path):
    make_user("staff", email="desk@example.org", name="Desk Officer")
    for n in range(55):
        Contact.create(name=f"Acme Person {n:02}", name_key=f"acme person {n:02}", organisation="Acme Lab",
                       tags=["speaker"] if n < 2 else [])
    for n in range(5):
        Contact.create(name=f"Other Person {n}", name_key=f"other person {n}", organisation="Elsewhere")
    sign_in_page(page, "desk@example.org")

    page.goto("/contacts/?q=Acme")
    chosen = page.locator(".action-bar [data-chosen-count]")
    assert page.get_by_role("checkbox", name="Choose Acme Person 00").is_visible()
    page.get_by_role("button", name="Select all on this page").click()
    assert chosen.inner_text() == "50 chosen"
    page.get_by_label("Select all 55 matching contacts").check()
    assert chosen.inner_text() == "All 55 matching chosen"
    page.get_by_label("Action", exact=True).select_option("add_tag")
    page.get_by_label("Tag to add or remove").fill("speaker")
    page.screenshot(path=str(tmp_path / "selected.png"), full_page=True)
    page.get_by_role("button", name="Apply to the chosen contacts").click()

    # 55 is more than 20: a confirmation first, nothing changed yet.
    page.get_by_role("heading", name="Change 55 contacts?").wait_for()
    assert Contact.select().where(Contact.tags.contains('"speaker"')).count() == 2
    page.screenshot(path=str(tmp_path / "confirm.png"), full_page=True)
    page.get_by_role("button", name="Confirm: apply to 55").click()

    page.wait_for_url("**/contacts/?q=Acme")  # the filter is kept
    assert page.get_by_text("Tagged 53 contacts “speaker”; 2 already had it.").is_visible()
    page.screenshot(path=str(tmp_path / "done.png"), full_page=True)
    tagged = {c.name for c in Contact.select().where(Contact.tags.contains('"speaker"'))}
    assert len(tagged) == 55 and all(name.startswith("Acme") for name in tagged)
    print(tmp_path)
