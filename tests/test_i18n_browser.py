"""Issue 13 in a real browser: a French-speaking city applies in French; the Arabic apply page mirrors."""

from __future__ import annotations

import os

import pytest

from crm.membership.models import Application

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
