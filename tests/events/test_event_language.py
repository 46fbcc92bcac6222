"""An event's description stays in the language it was written in (issue 13): the Language choice of the event form
(left on "Detect from the text", read from the title and description), and the public and staff event page naming
that language when it is not the reader's. The migration's backfill: tests/incidents/test_incident_language.py."""

from __future__ import annotations

import re

from crm.events.models import Event

SPANISH = ("Taller: responder al odio",
           "Dos días de trabajo con las ciudades de la red sobre la atención a las víctimas y la comunicación "
           "después de un atentado.")
FRENCH = ("Atelier : répondre à la haine",
          "Deux jours de travail avec les villes du réseau sur l'accueil des victimes et la communication après "
          "un attentat.")


def _form(**overrides):
    data = {"title": "Two-day workshop: Oslo", "kind": "workshop",
            "description": "Two days on how the cities of the network support the victims after an attack.",
            "host_city": "", "venue": "Oslo City Hall", "address": "Rådhusplassen 1", "online_url": "",
            "timezone": "Europe/Oslo", "starts_local": "2031-06-10T09:00", "ends_local": "2031-06-11T17:00",
            "capacity": "80", "waiting_list": "y", "registration_opens_local": "", "registration_closes_local": "",
            "audience_sectors": ["city_government"], "visibility": "public",
            "offer_hours": "48", "reminder_days": "3", "invitation_reminder_days": "7"}
    data.update(overrides)
    return data


def test_the_language_chosen_in_the_event_form_is_stored_and_detected_when_left(login_as):
    staff = login_as("staff")
    form = staff.get("/events/new").get_data(as_text=True)
    assert re.search(r'<select[^>]*name="language"><option (selected )?value="">Detect from the text</option>', form)
    assert '<option value="es">Español</option>' in form

    assert staff.post("/events/new", data=_form(language="es")).status_code == 302
    chosen = Event.select().order_by(Event.id.desc()).first()
    assert chosen.language == "es"  # the writer's word wins over what the text looks like
    edit = staff.get(f"/events/{chosen.id}/edit").get_data(as_text=True)
    assert "selected" in re.search(r'<option[^>]*value="es"[^>]*>', edit).group(0)

    assert staff.post("/events/new", data=_form(title=FRENCH[0], description=FRENCH[1], language="")).status_code == 302
    detected = Event.select().order_by(Event.id.desc()).first()
    assert detected.language == "fr"  # read from the title and description

    # Edited and left on "Detect from the text": read again from what is now written.
    response = staff.post(f"/events/{detected.id}/edit",
                          data=_form(title=SPANISH[0], description=SPANISH[1], language=""))
    assert response.status_code == 302
    assert Event.get_by_id(detected.id).language == "es"

    refused = staff.post("/events/new", data=_form(language="xx"))
    assert refused.status_code == 400 and not Event.select().where(Event.language == "xx").exists()


def test_a_french_reader_is_told_a_spanish_description_is_in_spanish_and_a_spanish_reader_is_not(
        client, login_as, make_event):
    event = make_event(title=SPANISH[0], description=SPANISH[1], language="es", visibility="public")

    french = client.get(f"/events/{event.id}?lang=fr").get_data(as_text=True)  # the public page
    assert '<p class="muted content-language" data-language="es">Rédigé en espagnol.</p>' in french
    assert f'<h1 lang="es" dir="auto">{SPANISH[0]}</h1>' in french
    assert '<div class="user-text" dir="auto" lang="es"><p>Dos días' in french

    spanish = client.get(f"/events/{event.id}?lang=es").get_data(as_text=True)
    assert "content-language" not in spanish
    assert f"<h1>{SPANISH[0]}</h1>" in spanish and '<div class="user-text" dir="auto"><p>Dos días' in spanish

    staff = login_as("staff")  # the staff page: the same line, above the secretariat's actions
    english = staff.get(f"/events/{event.id}?lang=en").get_data(as_text=True)
    assert '<p class="muted content-language" data-language="es">Written in Spanish.</p>' in english
    assert 'id="staff-heading"' in english


def test_an_english_event_to_an_english_reader_is_unchanged(client, make_event):
    event = make_event(title="Responding to hate: two-day workshop", visibility="public",
                       description="Two days on how the cities of the network support the victims after an attack.")
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "content-language" not in html
    assert "<h1>Responding to hate: two-day workshop</h1>" in html
    assert '<div class="user-text" dir="auto"><p>Two days' in html


def test_an_event_without_a_description_says_nothing_of_its_title(client, make_event):
    event = make_event(title="Atelier de Lyon", visibility="public")  # a place's name reads as French
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "content-language" not in html and "<h1>Atelier de Lyon</h1>" in html
