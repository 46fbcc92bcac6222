"""One version per language: each recipient gets their language (their own, their city's first, the default)."""

import re

import pytest

from crm.contacts.models import Contact
from crm.mailings import segments, services
from crm.mailings.models import Delivery, Mailing, MailingVersion
from crm.membership.models import City


def _html(response) -> str:
    return " ".join(response.get_data(as_text=True).split())


@pytest.fixture
def europe(app, lists):
    lyon = City.create(name="Lyon", name_key="lyon", country="FR", region="western_europe", languages=["fr"])
    ghent = City.create(name="Ghent", name_key="ghent", country="BE", region="western_europe", languages=["nl", "fr"])
    oslo = City.create(name="Oslo", name_key="oslo", country="NO", region="northern_europe", languages=["no"])

    def make(key, city, **values):
        return Contact.create(name=f"{key.title()} Example", name_key=f"{key} example", city=city,
                              email=f"{key}@example.org", sector="law_enforcement", **values)

    return {
        "ana": make("ana", lyon, languages=["es"]),  # her own language: Spanish
        "ben": make("ben", lyon),  # none of his own: his city's French
        "cleo": make("cleo", ghent),  # Ghent's first language, Dutch, has no version: the default
        "dirk": make("dirk", ghent, languages=["de", "fr"]),  # no German version; his second language, French
        "carl": make("carl", lyon, do_not_contact=True),
        "dora": make("dora", lyon, accepts_network_news=False),
        "olaf": make("olaf", oslo),  # outside the segment
    }


@pytest.fixture
def mailing(app, lists, europe, make_user):
    segment = segments.save_segment(None, name="Western Europe", mailing_list=lists["network-news"],
                                    filters={"regions": ["western_europe"]})
    found = services.save_mailing(None, segment=segment, subject="News for {{ first_name }}",
                                  body="Hello {{ first_name }}.", language="en", actor=make_user("staff"))
    services.save_version(found, "fr", subject="Nouvelles pour {{ first_name }}", body="Bonjour {{ first_name }}.")
    services.save_version(found, "es", subject="Noticias para {{ first_name }}", body="Hola {{ first_name }}.")
    return found


def test_a_segment_mailing_reaches_each_consenting_recipient_once_in_their_language(
        staff, mailing, europe, smtp):
    confirm = _html(staff.get(f"/mailings/{mailing.id}/send"))
    assert "4 will get it; 2 will not: 1 do not contact, 1 no consent." in confirm
    detail = _html(staff.get(f"/mailings/{mailing.id}"))
    assert "By language: English 1, Spanish 1, French 2." in detail

    staff.post(f"/mailings/{mailing.id}/send")
    received = {m.envelope_to[0]: m for m in smtp.messages}
    assert sorted(received) == ["ana@example.org", "ben@example.org", "cleo@example.org", "dirk@example.org"]
    assert len(smtp.messages) == 4  # each once
    assert received["ana@example.org"]["Subject"] == "Noticias para Ana"
    assert "Hola Ana." in smtp.text(received["ana@example.org"])
    assert received["ben@example.org"]["Subject"] == "Nouvelles pour Ben"
    assert "Bonjour Ben." in smtp.html(received["ben@example.org"])
    assert received["cleo@example.org"]["Subject"] == "News for Cleo"
    assert received["dirk@example.org"]["Subject"] == "Nouvelles pour Dirk"
    for message in smtp.messages:
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        link, mailto = re.fullmatch(r"<(https?://[^>]+)>, <(mailto:[^>]+)>", str(message["List-Unsubscribe"])).groups()
        assert "/mailings/u/" in link and mailto.startswith("mailto:noreply@example.org?subject=unsubscribe")

    assert {d.contact.name: d.language for d in Delivery.select()} == {
        "Ana Example": "es", "Ben Example": "fr", "Cleo Example": "en", "Dirk Example": "fr"}
    report = services.report(mailing)["by_language"]
    assert {code: (row["name"], row["sent"]) for code, row in report.items()} == {
        "en": ("English", 1), "es": ("Spanish", 1), "fr": ("French", 2)}
    page = _html(staff.get(f"/mailings/{mailing.id}"))
    assert '<tr id="lang-fr"><td>French</td><td>0</td><td>2</td>' in page
    assert services.queue_mailing(mailing) == 0 and len(smtp.messages) == 4


def test_preview_and_test_send_per_language(staff, mailing, europe, smtp):
    as_ana = _html(staff.get(f"/mailings/{mailing.id}?as={europe['ana'].id}"))
    assert 'id="preview-language">Spanish<' in as_ana and "Noticias para Ana" in as_ana
    in_french = _html(staff.get(f"/mailings/{mailing.id}?as={europe['ana'].id}&version=fr"))
    assert 'id="preview-language">French<' in in_french and "Nouvelles pour Ana" in in_french
    assert "Bonjour Ana." in in_french
    default = _html(staff.get(f"/mailings/{mailing.id}?as={europe['cleo'].id}"))
    assert "News for Cleo" in default
    staff.post(f"/mailings/{mailing.id}/test", data={"as": europe["ana"].id, "version": "fr"})
    assert smtp.last_to(staff.user.email)["Subject"] == "[Test] Nouvelles pour Ana"
    staff.post(f"/mailings/{mailing.id}/test", data={"as": europe["ana"].id})
    assert smtp.last_to(staff.user.email)["Subject"] == "[Test] Noticias para Ana"
    assert smtp.to("ana@example.org") == []


def test_versions_are_added_edited_checked_and_removed_by_staff(staff, mailing):
    bad = staff.post(f"/mailings/{mailing.id}/versions", data={"language": "de", "subject": "Hallo",
                                                               "body": "Liebe {{ vorname }}"})
    assert bad.status_code == 200 and "Unknown merge field {{ vorname }}" in _html(bad)
    assert not MailingVersion.select().where(MailingVersion.language == "de").exists()
    added = staff.post(f"/mailings/{mailing.id}/versions", data={"language": "de", "subject": "Neues",
                                                                 "body": "Hallo {{ first_name }}."})
    assert added.status_code == 302
    edit = _html(staff.get(f"/mailings/{mailing.id}/versions?language=fr"))
    assert 'value="Nouvelles pour {{ first_name }}"' in edit
    staff.post(f"/mailings/{mailing.id}/versions", data={"language": "fr", "subject": "Infos", "body": "Salut."})
    assert services.versions(Mailing.get_by_id(mailing.id))["fr"] == ("Infos", "Salut.")
    assert list(services.versions(Mailing.get_by_id(mailing.id))) == ["en", "de", "es", "fr"]
    staff.post(f"/mailings/{mailing.id}/versions/de/delete")
    assert "de" not in services.versions(Mailing.get_by_id(mailing.id))
    with pytest.raises(services.MailingError, match="default version cannot be removed"):
        services.delete_version(mailing, "en")
    with pytest.raises(services.MailingError, match="already a French version"):
        services.save_mailing(mailing, segment=mailing.segment, subject="x", body="y", language="fr")
    services.queue_mailing(mailing)
    with pytest.raises(services.MailingError, match="queued already"):
        services.save_version(Mailing.get_by_id(mailing.id), "it", subject="Notizie", body="Ciao")


def test_the_mail_language_a_contact_chose_picks_the_version_and_the_footer_speaks_it(staff, mailing, europe, smtp):
    Contact.update(language="fr").where(Contact.id == europe["ana"].id).execute()  # Spanish speaker, French mail
    staff.post(f"/mailings/{mailing.id}/send")
    ana = smtp.last_to("ana@example.org")
    assert ana["Subject"] == "Nouvelles pour Ana" and ana["Content-Language"] == "fr"
    assert "Vous recevez ce courriel en tant qu'abonné(e) à « Network news »." in smtp.text(ana)
    cleo = smtp.last_to("cleo@example.org")  # the default version: its footer in English
    assert cleo["Content-Language"] == "en"
    assert 'You get this mail as a subscriber of "Network news".' in smtp.text(cleo)
