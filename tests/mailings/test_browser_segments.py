"""A real browser: staff save a segment with the filter checkboxes, compose to it, add a French version, preview
a recipient in each language, and schedule the mailing."""

import datetime as dt
import re

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser


def _serious(axe, page) -> list[str]:
    """The serious and critical axe violations of the page now shown."""
    return [f"{page.url}: {v['id']}: {v['help']}" for v in axe.run(page).response["violations"]
            if v["impact"] in ("serious", "critical")]


def test_segment_version_preview_and_schedule(page, live_server, make_user, lists, people, smtp):
    from crm.contacts.models import Contact
    from crm.mailings.models import Mailing
    from tests.helpers import sign_in_page

    Contact.update(languages=["fr"]).where(Contact.id == people["finn"].id).execute()
    user = make_user("staff", email="desk@example.org")
    sign_in_page(page, user.email)

    page.goto("/mailings/segments/new")
    page.get_by_label("Name").fill("Western Europe")
    page.get_by_label("Western Europe", exact=True).check()
    page.get_by_role("button", name="Save the segment").click()
    assert page.get_by_text("Segment “Western Europe” saved.").is_visible()
    assert page.locator("#segment-filter").inner_text() == "Region: Western Europe"
    assert page.get_by_text("2 will get it; 3 will not: 1 do not contact, 1 no consent, 1 no email.").is_visible()

    page.get_by_role("button", name="Compose a mailing to it").click()
    assert page.get_by_label("To", exact=True).input_value().startswith("segment-")
    page.get_by_label("Subject").fill("News for {{ first_name }}")
    page.get_by_label("Message").fill("Hello {{ first_name }}.")
    page.get_by_role("button", name="Save and preview").click()
    page.wait_for_url(re.compile(r".*/mailings/\d+$"))

    page.get_by_role("link", name="Add a version in another language").click()
    page.get_by_role("combobox", name="Language").select_option(label="French")
    page.get_by_label("Subject").fill("Nouvelles pour {{ first_name }}")
    page.get_by_label("Message").fill("Bonjour {{ first_name }}.")
    page.get_by_role("button", name="Save this version").click()
    assert page.get_by_text("The French version is saved.").is_visible()
    assert page.locator("#language-split").inner_text() == "By language: English 1, French 1."

    page.get_by_label("Show as").select_option(label="Finn Berg (finn@lyon.example.org)")
    page.get_by_label("In", exact=True).select_option(label="their language")
    page.get_by_role("button", name="Preview").click()
    assert page.locator("#preview-subject").inner_text() == "Nouvelles pour Finn"
    page.get_by_label("In", exact=True).select_option(label="English")
    page.get_by_role("button", name="Preview").click()
    assert page.locator("#preview-subject").inner_text() == "News for Finn"
    assert page.locator("#preview-language").inner_text() == "English"

    page.get_by_role("link", name="Send…").click()
    assert page.get_by_text("To Western Europe (segment of Network news).").is_visible()
    when = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).replace(second=0, microsecond=0)
    page.get_by_label("Or schedule for (UTC)").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name=re.compile("Queue it for 2 recipient")).click()
    assert page.get_by_text("Scheduled for").first.is_visible()
    mailing = Mailing.get()
    assert mailing.is_draft and mailing.scheduled_at == when.replace(tzinfo=None)
    assert smtp.messages == []

    # The new pages pass axe (no serious or critical violation).
    axe, problems = Axe(), []
    for path in ["/mailings/", "/mailings/segments/new", f"/mailings/segments/{mailing.segment_id}",
                 f"/mailings/{mailing.id}", f"/mailings/{mailing.id}/versions?language=fr",
                 f"/mailings/{mailing.id}/send"]:
        page.goto(path)
        problems += _serious(axe, page)
    assert problems == [], "\n".join(problems)
