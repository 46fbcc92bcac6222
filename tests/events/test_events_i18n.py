"""Event pages in French and Arabic (issue 13): headings, labels, statuses and counts are translated, and no
English heading is left; Arabic pages read right to left."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from crm.events import registration
from crm.templating import localized_strftime


@pytest.fixture
def workshop(make_event, make_contact, make_city):
    """A public workshop with one person registered (listed) and one on the waiting list."""
    event = make_event(title="Atelier de Lyon", capacity=1, visibility="public")
    city = make_city("Lyon", "FR", "western_europe")
    registration.register(event, contact=make_contact(name="Ana Ruiz", city=city), details={"consent_listed": True})
    registration.register(event, contact=make_contact(name="Omar Haddad"))
    return event


def html_page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def headings(html):
    """The text of every h1/h2/h3, tags inside them removed."""
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h[123][^>]*>(.*?)</h[123]>", html, re.S)]


ENGLISH_HEADINGS = {"Your registration", "Agenda", "Secretariat", "Who is coming", "Participants", "Invitations",
                    "Events", "Register for Atelier de Lyon", "About"}


def test_staff_event_page_in_french_and_arabic(login_as, workshop):
    staff = login_as("staff")
    english = html_page(staff, f"/events/{workshop.id}?lang=en")
    assert {"Your registration", "Agenda", "Secretariat"} <= set(headings(english))

    french = html_page(staff, f"/events/{workshop.id}?lang=fr")
    assert '<html lang="fr" dir="ltr"' in french
    assert {"Votre inscription", "Programme", "Secrétariat", "Qui vient"} <= set(headings(french))
    assert not ENGLISH_HEADINGS & set(headings(french))
    assert "<dt>Quand</dt>" in french and "<dt>Places</dt>" in french
    assert '<span class="badge">Atelier</span>' in french and "Publié" in french and ">Public</span>" in french
    assert "<dd id=\"seats\">1 sur 1 occupées, 1 sur la liste d'attente</dd>" in french
    # The weekday and month are French too (the event's time, in its zone).
    start = workshop.local(workshop.starts_at)
    assert f"<dt>Quand</dt><dd>{localized_strftime(start, '%a %d %b %Y, %H:%M', 'fr')} {start.tzname()}" in french
    assert start.strftime("%a %d %b %Y") not in french
    assert ">Accueil des participants</a>" in french and ">Check-in</a>" not in french

    arabic = html_page(staff, f"/events/{workshop.id}?lang=ar")
    assert '<html lang="ar" dir="rtl"' in arabic
    assert {"تسجيلكم", "جدول الأعمال", "الأمانة"} <= set(headings(arabic))
    assert not ENGLISH_HEADINGS & set(headings(arabic))
    assert '<span class="badge">ورشة عمل</span>' in arabic


def test_participants_page_in_french_and_arabic(login_as, workshop):
    staff = login_as("staff")
    french = html_page(staff, f"/events/{workshop.id}/participants?lang=fr")
    assert '<th scope="col">Statut</th>' in french and '<th scope="col">Besoins</th>' in french
    assert '<th scope="col">Status</th>' not in french and '<th scope="col">Needs</th>' not in french
    assert "1 inscrits sur 1 places · 0 places proposées · 1 en attente" in french
    assert '<span class="badge badge-reg-registered">Inscrit</span>' in french
    # a status label is a lazy message, printed as escaped text
    assert "<span class=\"badge badge-reg-waiting\">Liste d&#39;attente</span>" in french
    assert 'aria-label="Déplacer Ana Ruiz vers"' in french and ">Move</button>" not in french

    arabic = html_page(staff, f"/events/{workshop.id}/participants?lang=ar")
    assert '<html lang="ar" dir="rtl"' in arabic and "المشاركون" in headings(arabic)
    assert not ENGLISH_HEADINGS & set(headings(arabic))
    assert '<span class="badge badge-reg-registered">مسجَّل</span>' in arabic
    assert '<th scope="col">الحالة</th>' in arabic


def test_public_registration_page_in_french_and_arabic(client, workshop):
    french = html_page(client, f"/events/{workshop.id}/join?lang=fr")
    assert "S'inscrire à Atelier de Lyon" in headings(french)
    assert "Register for Atelier de Lyon" not in french
    assert "Besoins d&#39;accessibilité" in french  # a form label: a lazy message, escaped
    assert "Faire figurer mon nom, ma fonction et mon organisation sur la liste des participants" in french
    assert ">S'inscrire</button>" in french

    arabic = html_page(client, f"/events/{workshop.id}/join?lang=ar")
    assert '<html lang="ar" dir="rtl"' in arabic
    assert "التسجيل في Atelier de Lyon" in headings(arabic)
    assert not ENGLISH_HEADINGS & set(headings(arabic))
    assert "الاحتياجات الغذائية" in arabic

    # A refusal the service writes is in the reader's language too.
    workshop.status = "cancelled"
    workshop.save()
    refused = html_page(client, f"/events/{workshop.id}/join?lang=fr")
    assert "Cet événement a été annulé : il n&#39;accepte donc plus d&#39;inscriptions." in refused


def test_mails_speak_the_recipients_language_whoever_sends_them(app, make_event, make_contact):
    """Subjects and the event's times in a mail follow the person's language, not the sender's page."""
    from flask_babel import force_locale

    from crm.events.links import mail_time
    from crm.mail import OutboxMail

    event = make_event(title="Atelier de Lyon", starts_in=dt.timedelta(days=2))
    french = make_contact(name="Claire Dubois", language="fr")
    english = make_contact(name="Kari Nordmann")
    with app.test_request_context("/"), force_locale("ar"):  # a sender reading Arabic pages
        registration.register(event, contact=french)
        registration.register(event, contact=english)
        assert registration.send_reminders() == 2
        start = event.local(event.starts_at)
        in_french = f"{localized_strftime(start, '%a %d %b %Y, %H:%M', 'fr')} {start.tzname()}"
        in_english = f"{start.strftime('%a %d %b %Y, %H:%M')} {start.tzname()}"
        # The same value is formatted when it is read, in the language of the moment.
        assert str(mail_time(event, event.starts_at)) == \
            f"{localized_strftime(start, '%a %d %b %Y, %H:%M', 'ar')} {start.tzname()}"

    subjects = {(m.recipient, m.template): m for m in OutboxMail.select()}
    assert subjects[(french.email, "event_registered")].subject == "Vous êtes inscrit(e) : Atelier de Lyon"
    assert subjects[(english.email, "event_registered")].subject == "You are registered: Atelier de Lyon"
    reminder = subjects[(french.email, "event_reminder")]
    assert reminder.subject == f"Rappel : Atelier de Lyon, {in_french}"
    assert in_french in reminder.text_body and start.strftime("%a %d %b") not in reminder.text_body
    assert subjects[(english.email, "event_reminder")].subject == f"Reminder: Atelier de Lyon, {in_english}"
