"""Unsubscribing: the RFC 8058 one-click POST without login or CSRF token, the preferences page, and imports."""

import re
from urllib.parse import urlsplit

import pytest

from crm.contacts.imports import check_contacts, import_contacts
from crm.contacts.models import Contact
from crm.mailings import services
from crm.mailings.models import Subscription, Unsubscribe


def _html(response) -> str:
    return " ".join(response.get_data(as_text=True).split())


def _unsubscribe_link(message) -> str:
    return re.search(r"<(https?://[^>]+)>", str(message["List-Unsubscribe"])).group(1)


@pytest.fixture
def app_config(app_config):
    app_config["WTF_CSRF_ENABLED"] = True  # prove the one-click endpoint works without a CSRF token
    return app_config


def test_one_click_post_unsubscribes_without_login_and_the_next_mailing_skips_them(
        app, news_mailing, people, lists, smtp):
    services.queue_mailing(news_mailing)
    services.send_queued_mailings(rate=0)
    message = smtp.last_to("ada@lyon.example.org")
    link = _unsubscribe_link(message)
    anonymous = app.test_client()
    path = urlsplit(link).path
    preferences = anonymous.get(path)  # a link scanner's GET changes nothing
    assert preferences.status_code == 200 and "Unsubscribe from “Network news”" in _html(preferences)
    assert Unsubscribe.select().count() == 0
    response = anonymous.post(path, data="List-Unsubscribe=One-Click",
                              content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and "nothing more from “Network news”" in _html(response)
    left = Unsubscribe.get()
    assert (left.contact_id, left.mailing_id, left.mailing_list_id) == (people["ada"].id, news_mailing.id,
                                                                        lists["network-news"].id)
    assert Contact.get_by_id(people["ada"].id).accepts_network_news is False
    assert services.report(news_mailing)["counts"] == {"queued": 0, "sent": 1, "failed": 0, "bounced": 0,
                                                          "unsubscribed": 1}
    # An import setting the flag again does not put her back.
    plan = check_contacts("name,email,accepts_network_news\nAda Lovelace,ada@lyon.example.org,yes\n")
    import_contacts(plan, mode="update")
    assert Contact.get_by_id(people["ada"].id).accepts_network_news is True
    second = services.save_mailing(None, mailing_list=lists["network-news"], subject="Second", body="Again")
    assert "1 unsubscribed" in services.audience(lists["network-news"]).summary()
    services.queue_mailing(second)
    services.send_queued_mailings(rate=0)
    assert [m["Subject"] for m in smtp.to("ada@lyon.example.org")] == ["News for Ada"]
    assert [m["Subject"] for m in smtp.to("finn@lyon.example.org")] == ["News for Finn", "Second"]
    # Staff cannot subscribe her again either.
    assert services.subscribe_emails(lists["network-news"], "ada@lyon.example.org")["unsubscribed"] == [
        "ada@lyon.example.org"]
    # A forged token is refused with words, not a 500.
    assert anonymous.post(path + "x", data="List-Unsubscribe=One-Click").status_code == 404


def test_the_preferences_page_changes_lists_and_stops_all(app, news_mailing, people, lists):
    token = services.unsubscribe_token(people["finn"], news_mailing)
    visitor = app.test_client()
    page = visitor.get(f"/mailings/u/{token}")
    html = page.get_data(as_text=True)
    csrf_token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    # Without the form's CSRF token the preferences POST is refused (only the one-click POST is exempt).
    assert visitor.post(f"/mailings/u/{token}/preferences", data={"lists": [lists["events"].id]}).status_code == 400
    saved = visitor.post(f"/mailings/u/{token}/preferences",
                         data={"csrf_token": csrf_token, "lists": [str(lists["events"].id)]}, follow_redirects=True)
    assert "Your choices are saved." in _html(saved)
    finn = Contact.get_by_id(people["finn"].id)
    assert services.is_subscribed(finn, lists["events"]) and not services.is_subscribed(finn, lists["network-news"])
    assert Subscription.select().where(Subscription.contact == finn).count() == 1
    visitor.post(f"/mailings/u/{token}/preferences", data={"csrf_token": csrf_token, "stop_all": "y",
                                                           "lists": [str(lists["events"].id)]})
    assert not any(on for _found, on in services.preferences(finn))
    # Ticking a list again (by the contact themselves) brings back that list only.
    visitor.post(f"/mailings/u/{token}/preferences",
                 data={"csrf_token": csrf_token, "lists": [str(lists["toolkit-updates"].id)]})
    chosen = {found.slug for found, on in services.preferences(finn) if on}
    assert chosen == {"toolkit-updates"}
