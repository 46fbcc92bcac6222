"""The membership journey in a real browser: a visitor applies, staff approve, the focal point accepts the
invitation from the mail, sets a password and sees their city's profile."""

import shutil

import pytest

from tests.helpers import sign_in_page, wait_for_mail

pytestmark = pytest.mark.browser

SHOTS = "/tmp/membership-journey-shots"


def test_apply_approve_accept_invitation_and_see_the_city(page, make_user, smtp, tmp_path):
    make_user("staff", email="desk@example.org", name="Desk Officer")
    shots = tmp_path / "shots"
    shots.mkdir()

    # A visitor applies.
    page.goto("/")
    page.get_by_role("button", name="Apply for membership").click()
    page.wait_for_url("**/apply")
    page.get_by_label("Name of the local authority").fill("Malmö")
    page.get_by_label("Level of government").select_option("city")
    page.get_by_label("Country").fill("Sweden")
    page.get_by_label("Population").fill("357000")
    page.get_by_label("Official website").fill("https://malmo.se")
    page.get_by_role("group", name="Languages used").get_by_label("Swedish").check()
    page.get_by_role("group", name="Languages used").get_by_label("English").check()
    page.get_by_label("Mayor or elected leader").fill("Anna Berg")
    page.get_by_label("Your name").fill("Lena Ek")
    page.get_by_label("Your position").fill("Head of safety")
    page.get_by_label("Your official email").fill("lena.ek@malmo.example.org")
    page.get_by_label("Proposed focal point").fill("Omar Said")
    page.get_by_label("Focal point's position").fill("Coordinator")
    page.get_by_label("Focal point's email").fill("omar.said@malmo.example.org")
    page.get_by_label("Victim support").check()
    page.get_by_label("Community cohesion").check()
    page.get_by_label("Why do you want to join?").fill("To learn from cities that have been through it.")
    page.screenshot(path=str(shots / "1-form.png"), full_page=True)
    page.get_by_role("button", name="Send the application").click()
    # Forgot the consent: the form comes back with everything typed and a message next to the box.
    assert page.get_by_text("We need your consent").is_visible()
    assert page.get_by_label("Name of the local authority").input_value() == "Malmö"
    page.screenshot(path=str(shots / "2-form-error.png"), full_page=True)
    page.get_by_label("I agree to the processing of this data").check()
    page.get_by_role("button", name="Send the application").click()
    reference = page.get_by_test_id("reference").inner_text()
    assert reference.startswith("SCN-")
    page.screenshot(path=str(shots / "3-sent.png"), full_page=True)
    assert reference in wait_for_mail(smtp, "lena.ek@malmo.example.org")["Subject"]

    # Staff approve.
    sign_in_page(page, "desk@example.org")
    assert page.get_by_test_id("pending-count").inner_text() == "1"
    page.screenshot(path=str(shots / "4-dashboard.png"), full_page=True)
    page.get_by_role("link", name="Open the review queue").click()
    page.get_by_role("link", name="Malmö").click()
    page.screenshot(path=str(shots / "5-application.png"), full_page=True)
    page.get_by_label("Reason or question").fill("Welcome to the network!")
    page.get_by_role("button", name="Approve").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Malmö")
    assert page.get_by_text("Approved: Malmö is a member").is_visible()
    page.screenshot(path=str(shots / "6-city-staff.png"), full_page=True)
    page.get_by_role("button", name="Sign out").click()

    # The focal point follows the invitation mail's link, sets a password and sees the city.
    invitation = wait_for_mail(smtp, "omar.said@malmo.example.org")
    link = [u for u in smtp.links(invitation) if "/account/invitation/" in u][0]
    page.goto(link)
    page.get_by_label("New password", exact=True).fill("a long new password")
    page.get_by_label("Repeat the new password").fill("a long new password")
    page.screenshot(path=str(shots / "7-set-password.png"), full_page=True)
    page.get_by_role("button", name="Set my password and sign in").click()
    page.wait_for_url("**/")
    assert page.get_by_role("heading", name="Malmö").is_visible()
    page.get_by_role("button", name="Your city's profile").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Malmö")
    assert page.get_by_text("Omar Said").first.is_visible()
    assert page.get_by_text("Victim support").is_visible()
    assert page.get_by_role("button", name="Edit the profile").is_visible()
    page.screenshot(path=str(shots / "8-city-member.png"), full_page=True)
    shutil.copytree(shots, SHOTS, dirs_exist_ok=True)  # to look at them after the run


def test_applicant_answers_a_question_then_withdraws_in_the_browser(page, app, make_user, smtp, tmp_path):
    from crm.mail import deliver_pending
    from crm.membership import services
    from crm.membership.models import Application

    staff = make_user("staff")
    with app.test_request_context():
        application = services.submit_application({
            "authority_name": "Aarhus", "level": "municipality", "country": "DK", "population": 360000,
            "website": "https://aarhus.dk", "languages": ["da"], "applicant_name": "Mette Holm",
            "applicant_position": "Director", "applicant_email": "mette@aarhus.example.org",
            "applicant_phone": "", "leader_name": "Mayor", "leader_position": "", "focal_name": "",
            "focal_position": "", "focal_email": "", "expertise": [], "expertise_other": "",
            "incident_experience": "", "motivation": "Peers."})
        services.request_info(application, "Which department leads?", actor=staff)
        deliver_pending()  # what the end of a request does
    mail = wait_for_mail(smtp, "mette@aarhus.example.org")
    link = [u for u in smtp.links(smtp.last_to("mette@aarhus.example.org")) if "/apply/status/" in u][0]
    assert mail is not None
    page.goto(link.replace("http://127.0.0.1:5000", ""))
    assert page.get_by_role("article").get_by_text("Which department leads?").is_visible()
    page.get_by_label("Your answer").fill("Social affairs leads, with the police.")
    page.get_by_role("button", name="Send my answer").click()
    assert page.get_by_text("your answer is with the secretariat").is_visible()
    assert page.get_by_test_id("status").inner_text() == "Waiting for review"
    page.get_by_text("Withdraw this application", exact=True).click()
    page.get_by_label("Yes, withdraw this application").check()
    page.get_by_role("button", name="Withdraw the application").click()
    assert page.get_by_test_id("status").inner_text() == "Withdrawn"
    page.screenshot(path=str(tmp_path / "status-withdrawn.png"), full_page=True)
    assert Application.get_by_id(application.id).status == "withdrawn"
