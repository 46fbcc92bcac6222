"""The apply form: post/redirect/get, a per-client limit that counts only accepted applications, and
refusals that keep everything typed."""

import pytest

from crm.membership.models import Application


@pytest.fixture
def app_config(app_config):
    app_config["APPLICATION_RATE_LIMIT"] = "3 per hour"
    app_config["RATELIMIT_ENABLED"] = True
    return app_config


def test_refreshing_the_thank_you_page_sends_nothing_again(client, form_data, smtp):
    response = client.post("/apply", data=form_data())
    assert response.status_code == 302 and response.headers["Location"] == "/apply/sent"
    reference = Application.get().reference
    for _ in range(2):  # the browser's refresh repeats the GET, not the POST
        page = client.get("/apply/sent")
        assert page.status_code == 200 and reference in page.get_data(as_text=True)
    assert Application.select().count() == 1
    assert len([m for m in smtp.messages if m["To"] == "lena.ek@malmo.example.org"]) == 1


def test_only_accepted_applications_count_towards_the_limit(client, form_data):
    for _ in range(12):  # invalid attempts: the country is unknown
        response = client.post("/apply", data=form_data(country="Atlantis"))
        assert response.status_code == 400
    for n in range(3):
        assert client.post("/apply", data=form_data(authority_name=f"Town {n}")).status_code == 302
    assert Application.select().count() == 3


def test_a_refusal_over_the_limit_keeps_what_was_typed(client, form_data):
    for n in range(3):
        assert client.post("/apply", data=form_data(authority_name=f"Town {n}")).status_code == 302
    response = client.post("/apply", data=form_data(authority_name="Trondheim kommune",
                                                    motivation="We want to learn from Bergen."))
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Too many applications" in html and "Your answers are kept" in html
    assert 'value="Trondheim kommune"' in html and "We want to learn from Bergen." in html
    assert Application.select().count() == 3


def test_a_duplicate_refusal_keeps_what_was_typed(client, form_data, make_city):
    make_city("Malmö", country="SE")
    response = client.post("/apply", data=form_data(motivation="Peers matter."))
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "already an active member" in html
    assert 'value="Malmö"' in html and "Peers matter." in html and 'value="Lena Ek"' in html
