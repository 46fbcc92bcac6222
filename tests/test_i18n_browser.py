"""Issue 13 in a real browser: a French-speaking city applies in French and gets French mails; the Arabic apply
page mirrors; an Arabic-speaking member uses the incident workspace in Arabic; staff in English read both, their
words unchanged."""

from __future__ import annotations

import os

import pytest
from flask_babel import force_locale, gettext

from crm import vocabulary
from crm.accounts.models import User
from crm.membership.models import Application
from crm.workspace.models import AdviceRequest, Workspace
from tests.helpers import sign_in_page, wait_for_mail
from tests.search_integration.network import link, small_network

pytestmark = pytest.mark.browser

# Screenshots to look at: CRM_SCREENSHOT_DIR keeps them after the run (else the test's tmp folder).
SHOTS = os.environ.get("CRM_SCREENSHOT_DIR")


@pytest.fixture
def page_in(browser, live_server, app):
    """Open a browser page whose Accept-Language is ``locale`` (``page_in("fr-FR")``)."""
    app.config["WTF_CSRF_ENABLED"] = True
    contexts = []

    def open_page(locale, width=1280, height=900):
        context = browser.new_context(base_url=live_server.url, locale=locale,
                                      viewport={"width": width, "height": height})
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def test_a_french_speaking_city_applies_in_french(page_in, smtp):
    page = page_in("fr-FR")
    page.goto("/")
    page.get_by_role("link", name="Adhérer").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Demander l'adhésion"
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_label("Nom de la collectivité locale").fill("Ville de Strasbourg")
    page.get_by_label("Niveau de gouvernement").select_option("city")
    page.get_by_label("Pays").fill("France")
    page.get_by_label("Site officiel").fill("https://www.strasbourg.eu")
    page.locator("input[name=languages][value=fr]").check()
    page.get_by_label("Votre nom", exact=True).fill("Claire Martin")
    page.get_by_label("Votre fonction", exact=True).fill("Cheffe du service prévention")
    page.get_by_label("Votre adresse électronique professionnelle").fill("claire.martin@strasbourg.example.org")
    page.get_by_label("Maire ou élu à la tête de la collectivité").fill("Jeanne Barseghian")
    page.get_by_label("Pourquoi souhaitez-vous adhérer ?").fill("Apprendre des autres villes après un attentat.")
    # forgetting consent: the error comes back in French, what was typed is kept
    page.get_by_role("button", name="Envoyer la candidature").click()
    assert page.get_by_text("Nous avons besoin de votre consentement pour traiter la candidature.").is_visible()
    assert page.get_by_label("Nom de la collectivité locale").input_value() == "Ville de Strasbourg"
    page.get_by_label("J'accepte le traitement de ces données").check()
    page.get_by_role("button", name="Envoyer la candidature").click()
    page.wait_for_url("**/apply/sent")
    assert page.get_by_role("heading", level=1).inner_text() == "Merci : votre candidature est envoyée"
    application = Application.get()
    assert page.get_by_test_id("reference").inner_text() == application.reference
    assert application.authority_name == "Ville de Strasbourg" and application.country == "FR"


@pytest.mark.parametrize("width", [1280, 390])
def test_arabic_apply_page_mirrors_right_to_left(page_in, tmp_path, width):
    page = page_in("ar", width=width, height=844)
    page.goto("/apply")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_role("heading", level=1).inner_text() == "طلب العضوية"
    # the label's words start at the right edge of its field, as Arabic reads
    words = page.evaluate("""() => {const range = document.createRange();
        range.selectNodeContents(document.querySelector('label[for=authority_name]'));
        const r = range.getBoundingClientRect(); return {left: r.left, right: r.right};}""")
    field = page.locator("#authority_name").bounding_box()
    assert abs(words["right"] - (field["x"] + field["width"])) < 2
    assert words["left"] > field["x"] + field["width"] / 3
    if width == 1280:  # the brand is the first thing on the right, the sign-in button on the left
        brand = page.locator("header .brand").bounding_box()
        sign_in = page.get_by_role("button", name="تسجيل الدخول").bounding_box()
        assert brand["x"] > sign_in["x"]
    # a phone number inside Arabic text keeps its left-to-right order (+47 …, not 47+ …)
    plus_then_four = page.evaluate("""() => {const node = document.getElementById('applicant_phone-help').firstChild;
        const left = ch => {const range = document.createRange(), at = node.data.indexOf(ch);
            range.setStart(node, at); range.setEnd(node, at + 1); return range.getBoundingClientRect().left;};
        return left('+') < left('4');}""")
    assert plus_then_four
    # the page does not scroll sideways
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    folder = SHOTS or str(tmp_path)
    os.makedirs(folder, exist_ok=True)
    page.screenshot(path=os.path.join(folder, f"apply-ar-{width}.png"), full_page=True)


# --- journeys: a French-speaking applicant, an Arabic-speaking member, staff in English -------------------------

def say(app, language, message, **values):
    """``message`` as the catalogue of ``language`` words it; fails while it has no translation yet."""
    with app.test_request_context(), force_locale(language):
        text = gettext(message, **values)
    assert text != message % values, f"not translated into {language} yet: {message!r}"
    return text


STRASBOURG = {"authority": "Eurométropole de Strasbourg", "email": "m.nguyen@strasbourg.example.org",
              "motivation": "Après l'attentat du marché de Noël de 2018, nous voulons partager ce que nous avons "
                            "appris avec les victimes et les commerçants, et apprendre des autres villes."}
ARABIC_DESCRIPTION = ("مساء الجمعة أطلق مسلح النار على المصلين داخل المسجد أثناء الصلاة، وكان المهاجم يحمل أفكاراً "
                      "يمينية متطرفة معادية للمسلمين. تنتشر الشائعات على الإنترنت والعائلات تنتظر أخبار ذويها.")
ARABIC_MESSAGE = "هل يمكنكم إرشادنا في تنظيم الوقفة التذكارية ودعم أسر الضحايا؟ نود التحدث هذا الأسبوع."


def _apply_in_french(page):
    page.goto("/apply")
    page.get_by_label("Nom de la collectivité locale").fill(STRASBOURG["authority"])
    page.get_by_label("Niveau de gouvernement").select_option("city")
    page.get_by_label("Pays").fill("France")
    page.get_by_label("Site officiel").fill("https://www.strasbourg.eu")
    page.locator("input[name=languages][value=fr]").check()
    page.get_by_label("Votre nom", exact=True).fill("Minh Nguyen")
    page.get_by_label("Votre fonction", exact=True).fill("Chargé de mission résilience")
    page.get_by_label("Votre adresse électronique professionnelle").fill(STRASBOURG["email"])
    page.get_by_label("Maire ou élu à la tête de la collectivité").fill("Jeanne Barseghian")
    page.get_by_label("Pourquoi souhaitez-vous adhérer ?").fill(STRASBOURG["motivation"])
    page.get_by_label("J'accepte le traitement de ces données").check()
    page.get_by_role("button", name="Envoyer la candidature").click()
    page.wait_for_url("**/apply/sent")


def test_a_french_applicant_gets_french_mail_and_staff_read_the_application_in_english(
        app, page_in, smtp, make_user):
    make_user("staff", email="desk@example.org", name="Desk Officer")
    page = page_in("fr-FR")
    _apply_in_french(page)
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == say(app, "fr", "Thank you: your application is sent")
    application = Application.get()

    # staff, whose browser speaks English, read it in English, the applicant's words as they were typed
    staff = page_in("en-GB")
    sign_in_page(staff, "desk@example.org")
    staff.goto("/applications/")
    assert staff.locator("html").get_attribute("lang") == "en"
    assert staff.get_by_role("heading", level=1).inner_text() == "Membership applications"
    staff.get_by_role("link", name=STRASBOURG["authority"]).click()
    main = staff.get_by_role("main")
    assert STRASBOURG["motivation"] in main.inner_text()
    assert "Chargé de mission résilience" in main.inner_text()
    assert main.get_by_text("Motivation", exact=True).is_visible()
    assert staff.locator("html").get_attribute("dir") == "ltr"

    # the acknowledgement is written in French: subject, greeting, body, and says so in its headers and markup
    mail = wait_for_mail(smtp, STRASBOURG["email"])
    assert mail["Subject"] == say(app, "fr", "We received your application (%(reference)s)",
                                  reference=application.reference)
    text = smtp.text(mail)
    assert say(app, "fr", "Hello %(name)s,", name="Minh Nguyen") in text
    assert "Thank you for applying" not in text and application.reference in text
    assert '<html lang="fr" dir="ltr">' in smtp.html(mail)
    assert mail["Content-Language"] == "fr"


def test_an_arabic_member_uses_the_workspace_in_arabic_and_staff_read_the_request_in_english(
        app, page_in, smtp, make_user, tmp_path):
    network = small_network()
    member = make_user("member", email="ops@villeneuve.example.org", name="Salma Benali")
    link(member, network["asking"])
    User.update(language="ar").where(User.id == member.id).execute()
    make_user("staff", email="desk@example.org", name="Desk Officer")
    first_week = vocabulary.phases("ar")["first_week"]
    assert first_week != vocabulary.phases("en")["first_week"], "the phase names have no Arabic labels yet"

    page = page_in("ar")
    page.goto("/account/login")  # in Arabic already: the fields by name
    page.locator("main input[name=email]").fill(member.email)
    page.locator("main input[name=password]").fill("correct horse battery")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/")
    page.goto("/workspace/new")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_role("heading", level=1).inner_text() == say(app, "ar", "Open an incident workspace")
    page.get_by_label(say(app, "ar", "What happened")).fill(ARABIC_DESCRIPTION)
    assert page.locator("select[name=phase] option[value=first_week]").inner_text() == first_week
    page.locator("select[name=phase]").select_option("first_week")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/workspace/*")
    workspace = Workspace.get()
    assert workspace.description == ARABIC_DESCRIPTION and workspace.language == "ar"

    # the page is Arabic, right to left, with the phase named in Arabic
    assert (page.locator("html").get_attribute("lang"), page.locator("html").get_attribute("dir")) == ("ar", "rtl")
    assert page.locator("main p strong").first.inner_text() == first_week
    assert page.locator("#toolkit h2").inner_text() == say(app, "ar", "Checklist: %(phase)s", phase=first_week)
    assert page.locator("article.peer").count() > 0, "no peer city found for the Arabic description"

    # ticks the first item of the checklist: the confirmation, in Arabic, next to the item
    item = page.locator("#toolkit article.toolkit-item").first
    title = item.locator("strong").inner_text()
    item.locator("button[type=submit]").click()
    page.wait_for_load_state()
    item = page.locator("#toolkit article.toolkit-item").first
    assert item.get_by_text(say(app, "ar", "Ticked “%(item)s”.", item=title)).is_visible()
    assert item.locator("button[type=submit]").get_attribute("aria-pressed") == "true"

    # asks a peer city for advice, and reads the confirmation in Arabic
    peer = page.locator("article.peer").first.get_attribute("data-city")
    advice = page.locator("#advice form")
    advice.locator("select[name='advice-peer_city']").select_option(label=peer)
    advice.locator("textarea[name='advice-message']").fill(ARABIC_MESSAGE)
    advice.locator("input[name='advice-urgent']").check()
    advice.locator("button[type=submit]").click()
    page.wait_for_url("**/workspace/*")
    confirmation = say(app, "ar", "Your request for advice from %(city)s went to the secretariat. You will get a "
                                  "mail at each step.", city=peer)
    assert page.locator("#advice").get_by_text(confirmation).is_visible()
    request = AdviceRequest.get()
    assert request.message == ARABIC_MESSAGE and request.peer_city.name == peer
    page.screenshot(path=str(tmp_path / "workspace-ar.png"), full_page=True)

    # staff, in English, see the request and the member's words unchanged
    staff = page_in("en-GB")
    sign_in_page(staff, "desk@example.org")
    staff.get_by_role("link", name="Advice requests").click()
    assert (staff.locator("html").get_attribute("lang"), staff.locator("html").get_attribute("dir")) == ("en", "ltr")
    assert staff.get_by_role("heading", level=1).inner_text() == "Advice requests"
    queue = staff.get_by_role("main").inner_text()
    assert ARABIC_MESSAGE in queue and f"Villeneuve → {peer}" in queue
    staff.goto(f"/workspace/{workspace.id}")
    assert staff.locator("blockquote.workspace-description").inner_text() == ARABIC_DESCRIPTION
    assert vocabulary.phases("en")["first_week"] in staff.locator("main p strong").first.inner_text()
