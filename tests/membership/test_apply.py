"""The public application: validation, duplicates, eligibility, bots, and what follows a submission."""

import re

import pytest

from crm.core.names import fold_name, resolve_country
from crm.membership.models import Application, ApplicationEvent, City


def submit(client, data):
    return client.post("/apply", data=data, follow_redirects=True)


def test_fold_name_ignores_case_accents_and_punctuation():
    assert fold_name("Malmö") == fold_name("MALMO") == fold_name("malmo.") == "malmo"
    assert fold_name("Tromsø") == "tromso"
    assert fold_name("Saint-Denis") == fold_name("saint denis")
    assert fold_name("St. Gallen") != fold_name("Sankt Gallen")


@pytest.mark.parametrize("typed, code", [("Turkey", "TR"), ("Russia", "RU"), ("Czech Republic", "CZ"),
                                         ("Ivory Coast", "CI"), ("South Korea", "KR"), ("Norway", "NO"),
                                         ("de", "DE"), ("United Kingdom", "GB"), ("Atlantis", None)])
def test_countries_resolve_from_names_codes_and_former_names(typed, code):
    assert resolve_country(typed) == code


def test_welcome_page_offers_apply_and_directory(client):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/apply"' in html and 'href="/members/"' in html
    assert "free" in html


def test_form_explains_eligibility_and_offers_contact_link(client):
    html = client.get("/apply").get_data(as_text=True)
    assert "National governments, NGOs, companies" in html
    assert 'href="mailto:secretariat@example.org' in html
    assert 'name="nickname"' in html  # the honeypot


def test_submission_stores_everything_and_mails_applicant_and_secretariat(client, form_data, smtp):
    response = submit(client, form_data())
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    application = Application.get()
    assert application.reference in html and re.match(r"SCN-\d{4}-\d{4}$", application.reference)
    assert application.status == "submitted"
    assert application.applicant_email == "lena.ek@malmo.example.org"
    assert application.languages == ["sv", "en"] and application.expertise == ["victim_support", "community_cohesion"]
    assert application.region == "northern_europe" and application.name_key == "malmo"
    assert application.consent_at is not None and application.consent_version == "2026-01"
    assert [e.action for e in ApplicationEvent.select()] == ["submitted"]
    mail = smtp.last_to("lena.ek@malmo.example.org")
    assert application.reference in mail["Subject"]
    link = [u for u in smtp.links(mail) if "/apply/status/" in u][0]
    assert smtp.last_to("secretariat@example.org")["Subject"].endswith("Malmö")
    # the status link from the mail opens the applicant's private page
    page = client.get(link.replace("http://127.0.0.1:5000", ""))
    assert "Waiting for review" in page.get_data(as_text=True)


def test_bad_input_keeps_what_was_typed_and_explains_next_to_fields(client, form_data):
    data = form_data(applicant_email="not-an-email", website="malmo", country="", consent=None,
                     population="-5", motivation="x" * 6000)
    response = submit(client, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert Application.select().count() == 0
    assert "Enter a valid email address" in html and 'value="not-an-email"' in html
    assert "Enter a full address" in html
    assert "Choose the country." in html
    assert "We need your consent" in html
    assert "Use at most 5000 characters." in html
    assert 'value="Malmö"' in html  # what was typed is kept


@pytest.mark.parametrize("typed", ["Sweden", "se", "SWEDEN"])
def test_country_typed_as_name_or_code(client, form_data, typed):
    assert submit(client, form_data(country=typed)).status_code == 200
    assert Application.get().country == "SE"


def test_country_list_is_offered_and_unknown_country_refused(client, form_data):
    html = client.get("/apply").get_data(as_text=True)
    assert 'list="country-options"' in html and '<option value="Sweden">' in html and "Côte" in html
    response = submit(client, form_data(country="Atlantis"))
    assert response.status_code == 400 and "Choose the country from the list" in response.get_data(as_text=True)
    assert 'value="Atlantis"' in response.get_data(as_text=True)


def test_too_long_name_is_refused(client, form_data):
    response = submit(client, form_data(authority_name="A" * 201))
    assert response.status_code == 400 and "at most 200" in response.get_data(as_text=True)


def test_focal_point_needs_name_and_email_together(client, form_data):
    response = submit(client, form_data(focal_email=""))
    assert response.status_code == 400
    assert "email address too, or leave their name empty" in response.get_data(as_text=True)


@pytest.mark.parametrize("variant", ["MALMO", "Malmo", "malmö.", " Malmö "])
def test_duplicate_of_open_application_refused_on_name_variants(client, form_data, variant):
    assert submit(client, form_data()).status_code == 200
    response = submit(client, form_data(authority_name=variant, applicant_email="other@malmo.example.org"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "already open" in html and "Waiting for review" in html and "SCN-" in html
    assert Application.select().count() == 1


def test_the_database_refuses_a_second_open_application_that_slipped_past_the_check(client, form_data, monkeypatch):
    """Two requests for one authority at the same instant: both pass the check, only one is stored."""
    from crm.membership import services

    assert submit(client, form_data()).status_code == 200
    monkeypatch.setattr(services, "find_duplicate", lambda *args: None)  # the race: the check saw nothing
    response = submit(client, form_data(authority_name="Malmo", applicant_email="twin@malmo.example.org"))
    assert response.status_code == 400
    assert "already open" in response.get_data(as_text=True)
    assert Application.select().count() == 1


def test_duplicate_of_member_city_names_its_status(client, form_data, make_city):
    make_city("Malmö", country="SE", status="suspended")
    response = submit(client, form_data(authority_name="malmo"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "suspended" in html
    assert Application.select().count() == 0


def test_same_name_at_another_level_or_country_is_not_a_duplicate(client, form_data, make_city):
    make_city("Malmö", country="SE", level="city")
    assert submit(client, form_data(level="municipality")).status_code == 200
    assert submit(client, form_data(country="NO")).status_code == 200
    assert City.select().count() == 1 and Application.select().count() == 2


def test_a_closed_application_does_not_block_a_new_one(client, form_data):
    submit(client, form_data())
    Application.update(status="declined").execute()
    assert submit(client, form_data()).status_code == 200
    assert Application.select().count() == 2


def test_honeypot_creates_nothing_and_sends_nothing(client, form_data, smtp):
    response = submit(client, form_data(nickname="bot"))
    assert response.status_code == 200 and "Thank you" in response.get_data(as_text=True)
    assert Application.select().count() == 0
    assert smtp.messages == []


@pytest.fixture
def app_config(app_config):
    app_config["APPLICATION_RATE_LIMIT"] = "3 per hour"
    return app_config


def test_per_client_rate_limit(client, form_data):
    for n in range(3):
        assert submit(client, form_data(authority_name=f"Town {n}")).status_code == 200
    response = submit(client, form_data(authority_name="Town 9"))
    assert response.status_code == 429
    assert Application.select().count() == 3
    assert client.get("/apply").status_code == 200  # reading the form is not limited
