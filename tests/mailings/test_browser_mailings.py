"""A real browser: staff compose, are told about an unknown merge field, preview, test-send, confirm and see the
status; a recipient's link opens the preferences page and unsubscribes."""

import re

import pytest

pytestmark = pytest.mark.browser


def test_compose_preview_test_confirm_status_and_unsubscribe(page, browser, live_server, make_user, lists, people,
                                                             smtp):
    from tests.helpers import sign_in_page

    user = make_user("staff", email="desk@example.org")
    sign_in_page(page, user.email)

    page.goto("/mailings/new")
    page.get_by_label("To", exact=True).select_option(label="Network news")
    page.get_by_label("Subject").fill("Spring news for {{ first_name }}")
    page.get_by_label("Message").fill("Dear {{ frist_name }},\n\nThe **workshop** is in {{ city }}.")
    page.get_by_role("button", name="Save and preview").click()
    assert page.get_by_text("Unknown merge field {{ frist_name }}").is_visible()
    assert page.get_by_label("Message").input_value().startswith("Dear {{ frist_name }},")
    page.get_by_label("Message").fill("Dear {{ first_name }},\n\nThe **workshop** is in {{ city }}.")
    page.get_by_role("button", name="Save and preview").click()
    page.wait_for_url(re.compile(r".*/mailings/\d+$"))

    page.get_by_label("Show as").select_option(label="Finn Berg (finn@lyon.example.org)")
    page.get_by_role("button", name="Preview").click()
    assert page.locator("#preview-subject").inner_text() == "Spring news for Finn"
    assert "Dear Finn," in page.locator("#preview-html").inner_text()
    assert page.locator("#preview-html strong").inner_text() == "workshop"

    page.get_by_role("button", name=re.compile("Send me a test")).click()
    assert page.get_by_text("A test, as Finn Berg would get it, is queued for desk@example.org").is_visible()

    page.get_by_role("link", name="Send…").click()
    assert page.get_by_text("2 will get it; 2 will not: 1 do not contact, 1 no email.").is_visible()
    page.get_by_role("button", name="Queue it for 2 recipient(s)").click()
    assert page.get_by_text("2 mail(s) queued.").is_visible()
    for _ in range(50):  # delivery runs just after the response
        if "0 queued · 2 sent · 0 failed" in page.locator("#counts").inner_text():
            break
        page.wait_for_timeout(200)
        page.reload()
    assert "0 queued · 2 sent · 0 failed" in page.locator("#counts").inner_text()
    assert [m["Subject"] for m in smtp.to("desk@example.org")] == ["[Test] Spring news for Finn"]

    # The recipient's link, in a browser with no session.
    message = smtp.last_to("ada@lyon.example.org")
    link = re.search(r"https?://\S+/mailings/u/\S+", smtp.text(message)).group(0)
    visitor = browser.new_context().new_page()
    visitor.goto(link)
    assert visitor.get_by_role("heading", level=1).inner_text() == "Your mail from the network"
    assert visitor.get_by_label("Network news").is_checked()
    visitor.get_by_role("button", name="Unsubscribe from “Network news”").click()
    assert visitor.get_by_text("You will get nothing more from “Network news”.").is_visible()
    visitor.get_by_role("link", name="Choose your lists").click()
    assert not visitor.get_by_label("Network news").is_checked()
    visitor.get_by_label("Events").check()
    visitor.get_by_role("button", name="Save my choices").click()
    assert visitor.get_by_text("Your choices are saved.").is_visible()
    assert visitor.get_by_label("Events").is_checked()
    visitor.context.close()
