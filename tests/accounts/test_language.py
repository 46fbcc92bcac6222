"""A user's interface language, chosen on the account page beside the time zone (issue 13)."""

from __future__ import annotations

from crm.accounts.models import User
from tests.helpers import login


def lang_of(response) -> str:
    html = response.get_data(as_text=True)
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_the_account_page_offers_the_languages_with_the_current_one_chosen(login_as):
    member = login_as("member")
    html = member.get("/account/timezone?lang=fr").get_data(as_text=True)
    assert '<h2 id="your-language">Votre langue</h2>' in html
    assert '<label for="language">Langue de l&#39;interface</label>' in html  # lazy labels are escaped text
    options = html.split('id="language" name="language"', 1)[1].split("</select>", 1)[0]
    assert '<option selected value="fr">Français</option>' in options
    for code, name in (("en", "English"), ("es", "Español"), ("ar", "العربية")):
        assert f'<option value="{code}">{name}</option>' in options


def test_the_choice_is_stored_and_used_on_the_next_request_and_device(app, login_as):
    member = login_as("member")
    assert lang_of(member.get("/")) == "en"
    member.get("/members/?lang=fr")  # an earlier switch in this session must not hide the choice
    saved = member.post("/account/language", data={"language": "es"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/account/timezone")
    assert User.get_by_id(member.user.id).language == "es"
    page = member.get("/account/timezone")
    assert lang_of(page) == "es" and "Las páginas se muestran ahora en Español." in page.get_data(as_text=True)
    assert lang_of(member.get("/")) == "es"
    # another device: a new session, a browser asking for French; the account's choice wins
    other = app.test_client()
    login(other, member.user.email)
    assert lang_of(other.get("/", headers={"Accept-Language": "fr"})) == "es"
    # Arabic, then back to English
    member.post("/account/language", data={"language": "ar"})
    arabic = member.get("/members/")
    assert lang_of(arabic) == "ar" and 'dir="rtl"' in arabic.get_data(as_text=True)
    member.post("/account/language?next=/members/", data={"language": "en"})
    assert User.get_by_id(member.user.id).language == "en" and lang_of(member.get("/")) == "en"


def test_an_unknown_language_is_refused_and_nothing_changes(login_as):
    member = login_as("member")
    member.post("/account/language", data={"language": "fr"})
    refused = member.post("/account/language", data={"language": "de"}, follow_redirects=True)
    assert "Choisissez l&#39;une des langues de la liste." in refused.get_data(as_text=True) or \
        "Choisissez l'une des langues de la liste." in refused.get_data(as_text=True)
    assert User.get_by_id(member.user.id).language == "fr"


def test_signing_out_and_in_keeps_the_choice(client, make_user):
    user = make_user("staff")
    login(client, user.email)
    client.post("/account/language", data={"language": "ar"})
    client.post("/account/logout")
    with client.session_transaction() as session:
        session.clear()  # a fresh browser session: only the account remembers the choice
    assert lang_of(client.get("/", headers={"Accept-Language": "en"})) == "en"
    login(client, user.email)
    assert lang_of(client.get("/", headers={"Accept-Language": "en"})) == "ar"
