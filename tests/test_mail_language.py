"""Mail in the recipient's language (issue 13): the subject and both bodies are rendered in the language the
person chose (a user's, else a contact's), else in their city's first language when the interface speaks it,
else in English; mail to the secretariat stays English. Real SMTP (aiosmtpd), real services."""

from __future__ import annotations

import datetime as dt

import pytest

from crm import mail
from crm.accounts.services import create_user
from crm.cli import cli_language
from crm.contacts.models import Contact
from crm.db import utcnow
from crm.events import registration
from crm.events.models import Event
from crm.lessons import services as lessons
from crm.lessons.models import Lesson
from crm.membership.models import City
from crm.membership.services import change_city_status
from crm.templating import localized_strftime


def make_city(name, languages, country="FR"):
    return City.create(name=name, name_key=name.lower(), country=country, region="western_europe",
                       languages=languages)


def make_event(title="Atelier sur la réponse à la haine"):
    start = (utcnow() + dt.timedelta(days=10)).replace(microsecond=0)
    return Event.create(title=title, kind="workshop", timezone="Europe/Paris", starts_at=start,
                        ends_at=start + dt.timedelta(hours=8), capacity=10, status="published", visibility="public")


def text_of(smtp, message) -> str:
    return smtp.text(message).replace("\r\n", "\n")


def sent(app, action):
    """Run ``action`` as a request would, then deliver what it queued."""
    with app.test_request_context():
        action()
        assert mail.deliver_pending() >= 1


def test_a_contact_who_prefers_french_gets_the_mail_in_french(app, smtp):
    city = make_city("Genf", ["de"], country="CH")  # the city's language is not the one the contact chose
    ana = Contact.create(name="Ana Ruiz", email="ana@example.org", city=city, language="fr")
    event = make_event()
    sent(app, lambda: registration.register(event, contact=ana))
    message = smtp.last_to("ana@example.org")
    assert message["Subject"] == f"Vous êtes inscrit(e) : {event.title}"
    assert message["Content-Language"] == "fr"
    text = text_of(smtp, message)
    assert text.startswith("Bonjour Ana Ruiz,\n\n")
    assert f"Vous êtes inscrit(e) à {event.title}." in text
    assert "Le fichier de calendrier joint l'ajoute à votre agenda." in text
    assert "You are registered" not in text and "Hello" not in text
    assert '<html lang="fr" dir="ltr">' in smtp.html(message)
    assert "le secrétariat du réseau" in smtp.html(message)
    assert mail.OutboxMail.get(mail.OutboxMail.recipient == "ana@example.org").language == "fr"


def _arabic_member(city):
    member = create_user("nadia@example.org", "Nadia", "member", "a long test password")
    member.city, member.language = city, "ar"
    member.save()
    return member


def _lesson_of(city, author):
    return Lesson.create(city=city, title="Ouvrir la mairie aux familles", body="Ce que nous avons appris.",
                         phase="first_week", status="submitted", author=author)


def test_a_user_who_chose_arabic_gets_arabic_mail_written_right_to_left(app, smtp, make_user):
    city = make_city("Villeneuve", ["fr"])
    member = _arabic_member(city)
    staff = make_user("staff")
    lesson = _lesson_of(city, member)
    sent(app, lambda: lessons.add_comment(lesson, "Merci, quelques précisions ?", actor=staff))
    message = smtp.last_to("nadia@example.org")
    assert message["Subject"] == "تعليق على درسكم المستفاد «Ouvrir la mairie aux familles»"
    assert message["Content-Language"] == "ar"
    text = text_of(smtp, message)
    assert "علّقت الأمانة على الدرس المستفاد الذي قدّمتموه «Ouvrir la mairie aux familles»." in text
    assert "Merci, quelques précisions ?" in text  # what people wrote stays as they wrote it
    assert "The secretariat" not in text
    html = smtp.html(message)
    assert '<html lang="ar" dir="rtl">' in html and "أمانة الشبكة" in html


def test_the_secretariat_copy_stays_english_whoever_writes(app, smtp):
    city = make_city("Villeneuve", ["fr"])
    member = _arabic_member(city)
    lesson = _lesson_of(city, member)
    secretariat = app.config["SECRETARIAT_EMAIL"]
    with app.test_request_context(headers={"Accept-Language": "ar"}):  # the author works in Arabic
        lessons.add_comment(lesson, "شكرًا، هذه هي التفاصيل.", actor=member)
        assert mail.deliver_pending() == 1
    message = smtp.last_to(secretariat)
    assert message["Subject"] == "Reply on lesson: Ouvrir la mairie aux familles"
    assert message["Content-Language"] == "en"
    assert text_of(smtp, message).startswith("Hello,\n\n")
    assert "Villeneuve replied about the lesson “Ouvrir la mairie aux familles”:" in text_of(smtp, message)
    assert '<html lang="en" dir="ltr">' in smtp.html(message)


def test_a_secretariat_user_who_chose_a_language_gets_it(app, smtp):
    user = create_user(app.config["SECRETARIAT_EMAIL"], "Secretariat", "staff", "a long test password")
    user.language = "es"
    user.save()
    with app.test_request_context():
        assert mail.recipient_language(app.config["SECRETARIAT_EMAIL"]) == "es"
        # …but a contact record with the secretariat's address does not decide for it.
        user.language = ""
        user.save()
        Contact.create(name="Secretariat", email=app.config["SECRETARIAT_EMAIL"], language="fr")
        assert mail.recipient_language(app.config["SECRETARIAT_EMAIL"]) == "en"


def test_a_contact_with_no_choice_gets_the_first_language_of_their_city(app, smtp):
    valencia = make_city("Valencia", ["es", "ca"], country="ES")
    Contact.create(name="Lucía Gómez", email="lucia@example.org", city=valencia, city_role="focal_point")
    changed_on = dt.date(2027, 3, 5)
    sent(app, lambda: change_city_status(valencia, "suspended", reason="Cuotas pendientes", changed_on=changed_on,
                                         actor=None))
    message = smtp.last_to("lucia@example.org")
    assert message["Content-Language"] == "es"
    text = text_of(smtp, message)
    day = localized_strftime(changed_on, "%d %b %Y", "es")
    assert day != changed_on.strftime("%d %b %Y")  # the month is in Spanish
    assert text.startswith("Buenos días, Lucía Gómez:\n\n")
    assert f"La adhesión de Valencia a la red está ahora suspendida (antes: activa), desde el {day}." in text
    assert "Motivo: Cuotas pendientes" in text
    assert '<html lang="es" dir="ltr">' in smtp.html(message)
    assert "<strong>suspendida</strong>" in smtp.html(message)


@pytest.mark.parametrize("languages", [["de", "fr"], []], ids=["city-language-not-in-the-interface", "none"])
def test_no_known_preference_means_english(app, smtp, languages):
    city = make_city("Marktstadt", languages, country="DE")
    Contact.create(name="Jonas Weber", email="jonas@example.org", city=city)
    sent(app, lambda: registration.register(make_event("Workshop in Marktstadt"), contact=Contact.get(
        Contact.email == "jonas@example.org")))
    message = smtp.last_to("jonas@example.org")
    assert message["Content-Language"] == "en"
    assert message["Subject"] == "You are registered: Workshop in Marktstadt"
    assert text_of(smtp, message).startswith("Hello Jonas Weber,\n\nYou are registered for Workshop in Marktstadt.")
    with app.test_request_context():
        assert mail.recipient_language("nobody@example.org") == "en"
        assert mail.recipient_language("jonas@example.org", "ar") == "ar"  # an explicit choice wins
        assert mail.recipient_language("jonas@example.org", "de") == "en"  # unless the interface lacks it


def test_the_outbox_shows_the_language_of_each_mail(app, smtp, login_as):
    city = make_city("Genf", ["de"], country="CH")
    ana = Contact.create(name="Ana Ruiz", email="ana@example.org", city=city, language="fr")
    sent(app, lambda: registration.register(make_event(), contact=ana))
    row = mail.OutboxMail.get(mail.OutboxMail.recipient == "ana@example.org")
    page = login_as("admin").get(f"/outbox/{row.id}").get_data(as_text=True)
    assert '<dt>Language</dt><dd lang="fr">French</dd>' in page


def test_the_command_speaks_crm_lang_then_the_locale(app, monkeypatch):
    for name in ("CRM_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    assert cli_language() == "en"
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    assert cli_language() == "es"
    monkeypatch.setenv("LC_ALL", "C.UTF-8")  # LC_ALL decides before LANG: "C" is English
    assert cli_language() == "en"
    monkeypatch.setenv("CRM_LANG", "ar")
    assert cli_language() == "ar"
    monkeypatch.setenv("CRM_LANG", "de")  # a language the interface does not have
    assert cli_language() == "en"
    app.config["CLI_LANGUAGE"] = "fr"
    result = app.test_cli_runner().invoke(args=["db", "status"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "[appliquée] 001_foundation" in lines and "[applied] 001_foundation" not in lines
    assert "appliquée(s)" in lines[-1] and "en attente." in lines[-1]
