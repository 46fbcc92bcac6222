"""The secretariat's review: queue, approve, decline, ask for information, and the applicant's answers."""

import datetime as dt

import pytest

from crm.accounts.models import User
from crm.audit.models import AuditEntry
from crm.contacts.models import Contact
from crm.membership import services
from crm.membership.models import Application, City, CityStatusChange


@pytest.fixture
def application(app, form_data, client):
    assert client.post("/apply", data=form_data()).status_code == 302
    return Application.get()


def _status_path(application):
    return f"/apply/status/{services.status_token(application)}"


def _actions(application):
    return [e.action for e in AuditEntry.select().where(AuditEntry.object_type == "Application",
                                                        AuditEntry.object_id == str(application.id))
            .order_by(AuditEntry.id)]


def test_queue_lists_open_applications_oldest_first_with_filters(login_as, form_data, client):
    for name, country, days in (("Newtown", "FR", 30), ("Oldtown", "DE", 1), ("Midtown", "DE", 10)):
        services.submit_application(dict(form_data(authority_name=name, country=country), languages=["en"]),
                                    submitted_at=dt.datetime(2026, 1, 1) + dt.timedelta(days=days), notify=False)
    Application.update(status="declined").where(Application.authority_name == "Midtown").execute()
    staff = login_as("staff")
    html = staff.get("/applications/").get_data(as_text=True)
    assert html.index("Oldtown") < html.index("Newtown") and "Midtown" not in html
    html = staff.get("/applications/?status=&country=DE").get_data(as_text=True)
    assert "Oldtown" in html and "Midtown" in html and "Newtown" not in html
    html = staff.get("/applications/?status=&region=western_europe&since=2026-01-05").get_data(as_text=True)
    assert "Newtown" in html and "Midtown" in html and "Oldtown" not in html
    exported = staff.get("/applications/export.csv?status=open&country=DE").get_data(as_text=True)
    assert exported.splitlines()[0].startswith("reference,submitted_at,authority_name")
    assert "Oldtown" in exported and "Midtown" not in exported and "Newtown" not in exported


def test_detail_shows_everything_submitted_and_history(login_as, application):
    html = login_as("staff").get(f"/applications/{application.id}").get_data(as_text=True)
    for text in ("Malmö", "Lena Ek", "omar.said@malmo.example.org", "Anna Berg", "Victim support", "Football clubs",
                 "We want to learn from peers.", "consent text version 2026-01", "Submitted"):
        assert text in html, text


def test_approve_creates_city_contacts_member_user_and_mails(login_as, application, smtp):
    staff = login_as("staff")
    response = staff.post(f"/applications/{application.id}/approve", data={"note": "Welcome aboard"})
    city = City.get(City.name == "Malmö")
    assert response.headers["Location"].endswith(f"/cities/{city.id}")
    assert city.status == "active" and city.country == "SE" and city.joined_on == dt.date.today()
    assert city.expertise == ["victim_support", "community_cohesion"] and city.name_key == "malmo"
    people = {c.name: c for c in Contact.select().where(Contact.city == city)}
    assert set(people) == {"Lena Ek", "Anna Berg", "Omar Said"}
    assert people["Omar Said"].city_role == "focal_point" and people["Anna Berg"].city_role == "leader"
    assert people["Lena Ek"].email == "lena.ek@malmo.example.org"
    user = User.get(User.email == "omar.said@malmo.example.org")
    assert user.role == "member" and user.city_id == city.id and not user.has_password
    application = Application.get_by_id(application.id)
    assert application.status == "approved" and application.city_id == city.id
    invitation = smtp.last_to("omar.said@malmo.example.org")
    assert "/account/invitation/" in smtp.text(invitation)
    decision = smtp.last_to("lena.ek@malmo.example.org")
    assert "Welcome to the network" in decision["Subject"] and "Welcome aboard" in smtp.text(decision)
    assert _actions(application) == ["application.approve"]
    assert AuditEntry.select().where(AuditEntry.action == "city.create").count() == 1
    assert CityStatusChange.get(CityStatusChange.city == city).status == "active"


def test_approving_twice_is_refused_with_a_clear_message(login_as, application):
    staff = login_as("staff")
    staff.post(f"/applications/{application.id}/approve", data={})
    response = staff.post(f"/applications/{application.id}/approve", data={}, follow_redirects=True)
    assert "already approved" in response.get_data(as_text=True)
    assert City.select().count() == 1 and User.select().where(User.role == "member").count() == 1


def test_applicant_as_focal_point_gets_the_invitation(login_as, form_data, client, smtp):
    client.post("/apply", data=form_data(focal_name="", focal_position="", focal_email=""))
    application = Application.get()
    login_as("staff").post(f"/applications/{application.id}/approve", data={})
    user = User.get(User.email == "lena.ek@malmo.example.org")
    assert user.city.name == "Malmö"
    assert Contact.get(Contact.email == "lena.ek@malmo.example.org").city_role == "focal_point"
    assert any("/account/invitation/" in smtp.text(m) for m in smtp.to("lena.ek@malmo.example.org"))


def test_approve_links_an_existing_contact_instead_of_duplicating(login_as, application, app):
    Contact.create(name="Omar Said", name_key="omar said", email="omar.said@malmo.example.org", position="")
    login_as("staff").post(f"/applications/{application.id}/approve", data={})
    omar = Contact.get(Contact.email == "omar.said@malmo.example.org")
    assert Contact.select().where(Contact.name == "Omar Said").count() == 1
    assert omar.city.name == "Malmö" and omar.position == "Coordinator" and omar.city_role == "focal_point"


def test_decline_needs_a_reason_and_mails_it(login_as, application, smtp):
    staff = login_as("staff")
    response = staff.post(f"/applications/{application.id}/decline", data={"note": ""}, follow_redirects=True)
    assert "Give the reason" in response.get_data(as_text=True)
    assert Application.get_by_id(application.id).status == "submitted"
    said = staff.post(f"/applications/{application.id}/decline", data={"note": "Malmö is a national agency."},
                      follow_redirects=True).get_data(as_text=True)
    # The page says what is true when it is shown: the mail is queued (it goes out after the response).
    assert "the mail telling the applicant why is queued" in said and "has been told" not in said
    application = Application.get_by_id(application.id)
    assert application.status == "declined" and application.decision_reason == "Malmö is a national agency."
    assert "national agency" in smtp.text(smtp.last_to("lena.ek@malmo.example.org"))
    assert _actions(application) == ["application.decline"]
    # deciding again is refused
    response = staff.post(f"/applications/{application.id}/approve", data={}, follow_redirects=True)
    assert "already declined" in response.get_data(as_text=True) and City.select().count() == 0


def test_ask_for_information_then_answer_through_status_link(login_as, application, client, smtp):
    staff = login_as("staff")
    said = staff.post(f"/applications/{application.id}/ask", data={"note": "Who will be the focal point?"},
                      follow_redirects=True).get_data(as_text=True)
    assert "Question saved; the mail to lena.ek@malmo.example.org is queued." in said and "Question sent" not in said
    application = Application.get_by_id(application.id)
    assert application.status == "info_requested"
    mail = smtp.last_to("lena.ek@malmo.example.org")
    assert "Who will be the focal point?" in smtp.text(mail)
    link = [u for u in smtp.links(mail) if "/apply/status/" in u][0].replace("http://127.0.0.1:5000", "")
    page = client.get(link).get_data(as_text=True)
    assert "Who will be the focal point?" in page and "Send my answer" in page
    client.post(link, data={"answer-answer": "Omar Said, our coordinator."})
    application = Application.get_by_id(application.id)
    assert application.status == "submitted"  # back in the queue
    assert "Omar Said, our coordinator." in smtp.text(smtp.last_to("secretariat@example.org"))
    assert "Applicant answered" in staff.get(f"/applications/{application.id}").get_data(as_text=True)
    assert _actions(application) == ["application.request_info", "application.answer"]


def test_applicant_withdraws_and_staff_can_no_longer_decide(login_as, application, client, smtp):
    link = _status_path(application)
    response = client.post(link, data={"withdraw-reason": "Not now", "withdraw-confirm": "y"}, follow_redirects=True)
    assert "withdrawn" in response.get_data(as_text=True)
    assert Application.get_by_id(application.id).status == "withdrawn"
    assert "Not now" in smtp.text(smtp.last_to("secretariat@example.org"))
    staff = login_as("staff")
    for action in ("approve", "decline", "ask"):
        html = staff.post(f"/applications/{application.id}/{action}", data={"note": "x"},
                          follow_redirects=True).get_data(as_text=True)
        assert "was withdrawn by the applicant" in html
    assert City.select().count() == 0
    assert _actions(application) == ["application.withdraw"]


def test_withdraw_needs_confirmation(client, application):
    client.post(_status_path(application), data={"withdraw-reason": "x"})
    assert Application.get_by_id(application.id).status == "submitted"


def test_forged_status_link_is_refused(client, application):
    token = services.status_token(application)
    response = client.get(f"/apply/status/{token[:-3]}xyz", follow_redirects=True)
    assert "not valid" in response.get_data(as_text=True)


def test_members_and_anonymous_cannot_review(login_as, client, application):
    assert client.get("/applications/").status_code == 302
    assert client.post(f"/applications/{application.id}/approve").status_code == 302
    assert login_as("member").get("/applications/").status_code == 403
    assert login_as("member").post(f"/applications/{application.id}/approve").status_code == 403
    assert Application.get_by_id(application.id).status == "submitted"


def test_privacy_export_and_erase_cover_the_applications(login_as, application):
    staff = login_as("staff")
    staff.post(f"/applications/{application.id}/approve", data={})
    omar = Contact.get(Contact.email == "omar.said@malmo.example.org")
    data = staff.get(f"/contacts/{omar.id}/export.json").get_json()
    assert [a["reference"] for a in data["membership_applications"]] == [application.reference]
    staff.post(f"/contacts/{omar.id}/erase", data={"confirm": "y"})
    application = Application.get_by_id(application.id)
    assert application.focal_email == "" and application.focal_name == "erased"
    assert application.applicant_email == "lena.ek@malmo.example.org"  # another person: kept
    assert application.status == "approved"


def test_a_city_name_with_markup_reaches_the_invitation_mail_escaped(login_as, form_data, client, smtp):
    # The invitation's note is a lazy message carrying the city's name (typed by the applicant): Flask-Babel
    # marks lazy strings as safe HTML, crm.i18n makes them escaped text again.
    client.post("/apply", data=form_data(authority_name="Malmö <b>stad</b>", focal_name="", focal_position="",
                                         focal_email=""))
    application = Application.get()
    login_as("staff").post(f"/applications/{application.id}/approve", data={})
    html = "".join(smtp.html(m) for m in smtp.to("lena.ek@malmo.example.org"))
    assert "Malmö &lt;b&gt;stad&lt;/b&gt;" in html
    assert "<b>stad</b>" not in html
