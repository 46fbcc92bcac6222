"""The member-city pages, the sign-in page and the staff's city list in French and Arabic (issue 13).

Each page is rendered in English first: every heading it shows (title, h1-h3, table headings, captions,
legends, labels, buttons, summaries) must be gone from the French and the Arabic page, replaced by the
translation, apart from the city's own data and the few words that are the same in both languages.
"""

from __future__ import annotations

import re
from html import unescape

import pytest

HEADING = re.compile(r"<(title|h1|h2|h3|th|caption|legend|label|button|summary)\b[^>]*>(.*?)</\1>", re.S)
DATA = {"Oslo", "Norway", "Oslo, Norway", "Northern Europe", "Strong Cities CRM", ""}
SAME_IN = {"fr": {"Population", "Action"}, "ar": set()}  # headings spelt the same in the other language


# Another feature's block that the lists include (its own texts, translated by its own part).
OTHER_FEATURES = re.compile(r'<section class="saved-filters".*?</section>', re.S)


def headings(html: str) -> set[str]:
    """Return the text of the page's headings, labels and buttons (the switcher's links are no headings)."""
    html = OTHER_FEATURES.sub("", html)
    found = set()
    for _tag, inner in HEADING.findall(html):
        text = " ".join(unescape(re.sub(r"<[^>]+>", " ", inner)).split()).removesuffix(" · Strong Cities CRM")
        found.add(text.replace("(optional)", "").strip())
    return found - DATA


def page(client, url: str, lang: str) -> str:
    response = client.get(f"{url}{'&' if '?' in url else '?'}lang={lang}")
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def assert_translated(client, url: str, lang: str, expected: list[str]) -> str:
    english = headings(page(client, url, "en"))
    html = page(client, url, lang)
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}"' in html
    left = (english & headings(html)) - SAME_IN[lang]
    assert not left, f"English headings left on {url} in {lang}: {sorted(left)}"
    for text in expected:
        assert text in html, f"{text!r} missing from {url} in {lang}"
    return html


@pytest.fixture
def oslo(make_city):
    import datetime as dt

    return make_city("Oslo", population=709000, website="https://www.oslo.kommune.no", languages=["no", "en"],
                     expertise=["victim_support"], joined_on=dt.date(2016, 5, 1))


FRENCH = {
    "directory": ["<h1>Villes membres</h1>", '<th scope="col">Membre depuis</th>', "Votre ville peut aussi adhérer",
                  "Rechercher des villes membres", ">Recherche</button>"],
    "profile": ["← Villes membres", "<dt>Langues de travail</dt>", "<dt>Peut conseiller sur</dt>",
                "membre du réseau depuis 2016", "Les enseignements partagés par Oslo", "L'adhésion est gratuite"],
    "login": ["<h1>Se connecter</h1>", ">Mot de passe oublié ?</a>", '<label for="password">Mot de passe',
              "Rester connecté sur cet appareil"],
    "cities": ["<h1>Villes membres</h1>", ">Importer des villes (CSV)</a>", '<th scope="col">Adhésion</th>',
               "Agir sur les villes choisies", "Toutes les tailles", ">Trier par"],
}
ARABIC = {
    "directory": ["<h1>المدن الأعضاء</h1>", '<th scope="col">عضو منذ</th>', "يمكن لمدينتكم الانضمام أيضًا",
                  "البحث في المدن الأعضاء"],
    "profile": ["→ المدن الأعضاء", "<dt>لغات العمل</dt>", "<dt>يمكنها تقديم المشورة في</dt>",
                "عضو في الشبكة منذ 2016", "العضوية مجانية"],
    "login": ["<h1>تسجيل الدخول</h1>", ">هل نسيت كلمة المرور؟</a>", '<label for="password">كلمة المرور',
              "تذكّرني على هذا الجهاز"],
    "cities": ["<h1>المدن الأعضاء</h1>", ">استيراد مدن (CSV)</a>", '<th scope="col">الانضمام</th>',
               "إجراء على المدن المختارة", "أي حجم"],
}


@pytest.mark.parametrize("lang, expected", [("fr", FRENCH), ("ar", ARABIC)])
def test_public_directory_and_city_profile(client, oslo, lang, expected):
    html = assert_translated(client, "/members/", lang, expected["directory"])
    assert f'href="/members/{oslo.id}">Oslo</a>' in html  # the data stays as it is
    assert_translated(client, f"/members/{oslo.id}", lang, expected["profile"])


@pytest.mark.parametrize("lang, expected", [("fr", FRENCH), ("ar", ARABIC)])
def test_sign_in_page(client, lang, expected):
    html = assert_translated(client, "/account/login", lang, expected["login"])
    # the form's errors too: a wrong password is refused in the page's language
    client.get(f"/account/login?lang={lang}")
    refused = client.post("/account/login", data={"email": "nobody@example.org", "password": "wrong password"})
    assert refused.status_code == 400
    message = {"fr": "L'adresse électronique ou le mot de passe est incorrect.",
               "ar": "عنوان البريد الإلكتروني أو كلمة المرور غير صحيح."}[lang]
    assert message in unescape(refused.get_data(as_text=True)) and "Forgot your password?" not in html
    # a page that needs an account sends the visitor here with the reason in the visitor's language
    asked = client.get("/cities/", follow_redirects=True).get_data(as_text=True)
    reason = {"fr": "Connectez-vous pour voir cette page.", "ar": "سجّل الدخول لعرض هذه الصفحة."}[lang]
    assert reason in asked and "Please sign in" not in asked


@pytest.mark.parametrize("lang, expected", [("fr", FRENCH), ("ar", ARABIC)])
def test_staff_cities_list(login_as, oslo, lang, expected):
    staff = login_as("staff")
    html = assert_translated(staff, "/cities/", lang, expected["cities"])
    status = {"fr": "Active", "ar": "نشطة"}[lang]
    assert f'<span class="badge badge-active">{status}</span>' in html
    # a bulk change's confirmation comes back in the same language
    moved = staff.post("/cities/bulk", data={"ids": [str(oslo.id)], "action": "status", "status": "suspended",
                                             "reason": "Paused at its request"}, follow_redirects=True)
    done = {"fr": "1 ville passée au statut « suspendue ».",
            "ar": "نُقلت مدينة واحدة (1) إلى الحالة «معلّقة»."}[lang]
    assert done in unescape(moved.get_data(as_text=True))


def test_english_pages_keep_their_english_headings(client, oslo, login_as):
    assert "<h1>Member cities</h1>" in page(client, "/members/", "en")
    assert "<dt>Can advise on</dt>" in page(client, f"/members/{oslo.id}", "en")
    assert "<h1>Sign in</h1>" in page(client, "/account/login", "en")
    staff_html = page(login_as("staff"), "/cities/", "en")
    assert '<th scope="col">Joined</th>' in staff_html and "Act on the chosen cities" in staff_html


def test_the_applicant_is_written_to_in_their_language_and_the_secretariat_in_english(app, client, login_as,
                                                                                       form_data):
    from crm.mail import OutboxMail
    from crm.membership.models import Application

    # a Spanish-speaking authority applies on the Spanish page
    client.get("/apply?lang=es")
    assert client.post("/apply", data=form_data(authority_name="Valencia", country="ES", languages=["es"],
                                                applicant_email="ana@valencia.example.org")).status_code == 302
    application = Application.get(Application.authority_name == "Valencia")
    subjects = {mail.recipient: mail.subject for mail in OutboxMail.select()}
    assert subjects["ana@valencia.example.org"] == f"Hemos recibido su solicitud ({application.reference})"
    assert subjects[app.config["SECRETARIAT_EMAIL"]] == "New membership application: Valencia"
    # the staff member who asks a question reads English; the question goes out in Spanish
    staff = login_as("staff")
    asked = staff.post(f"/applications/{application.id}/ask", data={"note": "¿Cuántos habitantes?"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Question saved; the mail to ana@valencia.example.org is queued." in asked
    last = OutboxMail.select().where(OutboxMail.recipient == "ana@valencia.example.org").order_by(OutboxMail.id.desc())
    assert last.first().subject == f"Su solicitud {application.reference}: una pregunta"
    # an authority working in Swedish and English, applying on the English page: English throughout
    english = app.test_client()
    english.get("/apply?lang=en")
    english.post("/apply", data=form_data(authority_name="Lund", languages=["sv", "en"],
                                          applicant_email="per@lund.example.org"))
    lund = Application.get(Application.authority_name == "Lund")
    mail = OutboxMail.get(OutboxMail.recipient == "per@lund.example.org")
    assert mail.subject == f"We received your application ({lund.reference})"
