"""NUL characters in the query string or a form never reach the database (PostgreSQL refuses them)."""

from crm.contacts.models import Contact
from crm.membership.models import Application
from tests.membership.conftest import application_form


def test_application_with_nul_characters_is_stored_without_them(client):
    response = client.post("/apply", follow_redirects=True, data=application_form(
        authority_name="Malm\x00ö", applicant_name="Lena\x00 Ek", applicant_email="lena.ek@malmo.example.org\x00",
        motivation="\x00" * 3 + "We want to learn."))
    assert response.status_code == 200, response.status_code
    application = Application.get()
    assert (application.authority_name, application.applicant_name) == ("Malmö", "Lena Ek")
    assert application.applicant_email == "lena.ek@malmo.example.org"
    assert application.motivation == "We want to learn."


def test_search_and_filters_with_nul_characters_answer(login_as):
    staff = login_as("staff")
    Contact.create(name="Nina Holm", email="nina.holm@example.org")
    response = staff.get("/contacts/?q=Ni%00na")
    assert response.status_code == 200 and "Holm" in response.get_data(as_text=True)
    for url in ("/contacts/?q=%00", "/contacts/?sector=%00&city=%00&country=%00", "/incidents/?city=%00&facet=%00",
                "/search?q=%00", "/members/?q=%00", "/events/?q=%00"):
        assert staff.get(url).status_code < 500, url


def test_login_with_nul_characters_is_refused_like_a_wrong_password(client):
    response = client.post("/account/login", data={"email": "admin@example.org\x00", "password": "x\x00"})
    assert response.status_code < 500


def test_path_with_a_nul_character_names_no_page(client):
    assert client.get("/apply/status/abc%00def").status_code == 404
