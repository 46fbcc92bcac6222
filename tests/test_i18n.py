"""The interface language (issue 13): how a request's language is chosen, and the apply page in four languages."""

from __future__ import annotations

import re
from html import unescape

import pytest

from crm.accounts.models import User
from crm.membership.models import Application
from crm.membership.services import CONSENT_TEXT
from tests.helpers import login
from tests.membership.conftest import application_form


def html_of(response) -> str:
    return response.get_data(as_text=True)


def test_english_by_default_with_a_switcher_to_every_language(client):
    html = html_of(client.get("/apply"))
    assert '<html lang="en" dir="ltr"' in html
    assert "<h1>Apply for membership</h1>" in html and "Name of the local authority" in html
    switcher = re.search(r'<nav class="languages" aria-label="Language">(.*?)</nav>', html, re.S).group(1)
    links = re.findall(r'<a href="([^"]+)" lang="(\w+)" hreflang="(\w+)"( aria-current="true")?>([^<]+)</a>', switcher)
    assert [(url, lang, hreflang, current != "", name) for url, lang, hreflang, current, name in links] == [
        ("/apply?lang=en", "en", "en", True, "English"), ("/apply?lang=fr", "fr", "fr", False, "Français"),
        ("/apply?lang=es", "es", "es", False, "Español"), ("/apply?lang=ar", "ar", "ar", False, "العربية")]


def test_switcher_keeps_the_page_query(client):
    html = html_of(client.get("/members/?q=Oslo&page=2"))
    assert 'href="/members/?q=Oslo&amp;page=2&amp;lang=fr" lang="fr"' in html


def test_accept_language_french_gives_the_french_apply_page(client):
    html = html_of(client.get("/apply", headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"}))
    assert '<html lang="fr" dir="ltr"' in html
    assert "<h1>Demander l'adhésion</h1>" in html
    assert '<label for="authority_name">Nom de la collectivité locale</label>' in html
    assert "Le point focal est l'interlocuteur quotidien du réseau." in html
    assert '<a class="skip-link" href="#main">Aller au contenu</a>' in html
    assert ">Villes membres</a>" in html and ">Se connecter</a>" in html  # navigation declared by features
    assert 'aria-current="true">Français</a>' in html
    assert "Apply for membership" not in html


def test_accept_language_without_a_supported_language_gives_english(client):
    html = html_of(client.get("/apply", headers={"Accept-Language": "de-DE,de;q=0.9,nb;q=0.8"}))
    assert '<html lang="en" dir="ltr"' in html and "<h1>Apply for membership</h1>" in html


def test_lang_switch_sticks_for_the_session_over_the_browser_language(client):
    html = html_of(client.get("/apply?lang=es", headers={"Accept-Language": "fr"}))
    assert '<html lang="es"' in html and "<h1>Solicitar la adhesión</h1>" in html
    # later pages, without ?lang and with a French browser, stay in Spanish
    html = html_of(client.get("/members/", headers={"Accept-Language": "fr"}))
    assert '<html lang="es"' in html and ">Ciudades miembro</a>" in html
    html = html_of(client.get("/apply?lang=en"))
    assert "<h1>Apply for membership</h1>" in html


@pytest.mark.parametrize("code", ["xx", "EN-us", "../fr", ""])
def test_unknown_lang_falls_back_and_is_not_stored(client, code):
    html = html_of(client.get(f"/apply?lang={code}", headers={"Accept-Language": "es"}))
    assert '<html lang="es"' in html  # the browser's language, as if no switch had been asked
    with client.session_transaction() as session:
        assert "lang" not in session
    assert '<html lang="en"' in html_of(client.get("/apply?lang=xx"))


def test_arabic_is_right_to_left_with_arabic_labels(client):
    html = html_of(client.get("/apply?lang=ar"))
    assert '<html lang="ar" dir="rtl"' in html
    assert "<h1>طلب العضوية</h1>" in html
    assert '<label for="authority_name">اسم السلطة المحلية</label>' in html
    assert "<h2>نقطة الاتصال</h2>" in html and ">إرسال الطلب</button>" in html


def test_a_signed_in_users_choice_is_stored_and_wins(app, login_as):
    c = login_as("member")
    assert User.get_by_id(c.user.id).language == ""
    c.get("/account/login?lang=fr")
    assert User.get_by_id(c.user.id).language == "fr"
    # a new session (another device) with a Spanish browser: the stored choice wins over Accept-Language
    other = app.test_client()
    login(other, c.user.email)
    html = html_of(other.get("/apply", headers={"Accept-Language": "es"}))
    assert '<html lang="fr"' in html and ">Se déconnecter</button>" in html
    # once signed out, the browser's language again
    other.post("/account/logout")
    assert '<html lang="es"' in html_of(other.get("/apply", headers={"Accept-Language": "es"}))


def test_validation_errors_in_french(client):
    data = application_form(authority_name="", website="malmo", focal_email="", motivation="x" * 5001, consent=None)
    response = client.post("/apply?lang=fr", data=data)
    html = unescape(html_of(response))
    assert response.status_code == 400
    assert "Certaines réponses sont à revoir : voyez les messages à côté des champs." in html
    assert "Saisissez le nom de la collectivité." in html
    assert "Saisissez une adresse complète, par exemple https://www.city.gov." in html
    assert "Indiquez aussi l'adresse électronique du point focal, ou laissez son nom vide." in html
    assert "Utilisez au plus 5000 caractères." in html
    assert "Nous avons besoin de votre consentement pour traiter la candidature." in html
    assert Application.select().count() == 0


def test_application_in_spanish_reaches_the_spanish_thank_you_page(client, smtp):
    response = client.post("/apply?lang=es", data=application_form(), follow_redirects=True)
    html = html_of(response)
    application = Application.get()
    assert "<h1>Gracias: su solicitud se ha enviado</h1>" in html
    assert f'Su número de referencia es <strong data-testid="reference">{application.reference}</strong>.' in html
    assert "Hemos enviado una confirmación a lena.ek@malmo.example.org." in html


def test_consent_help_says_in_english_what_the_application_stores(app):
    from crm.membership.forms import CONSENT_HELP

    with app.test_request_context("/apply"):
        assert str(CONSENT_HELP) == CONSENT_TEXT


def test_partnership_link_subject_is_translated(client):
    html = html_of(client.get("/apply?lang=fr"))
    assert 'href="mailto:secretariat@example.org?subject=Partenariat"' in html


def test_lazy_messages_are_escaped_in_pages_and_plain_in_json(app):
    from flask import render_template_string
    from flask_babel import lazy_gettext

    lazy = lazy_gettext("Registered: %(title)s", title="<script>alert(1)</script>")
    with app.test_request_context("/"):
        assert render_template_string("{{ lazy }}", lazy=lazy) == "Registered: &lt;script&gt;alert(1)&lt;/script&gt;"
        # JSON (the API, data attributes) gets the text itself, not its HTML
        assert app.json.loads(app.json.dumps({"reason": lazy})) == {"reason": "Registered: <script>alert(1)</script>"}
