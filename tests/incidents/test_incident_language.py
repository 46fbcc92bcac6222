"""Incidents and event descriptions stay in the language they were written in (issue 13): tagged with it (migration
026_content_language backfills the existing ones with the detection lessons use), chosen on the form or read from the
text, and named on the page ("Written in Spanish.") when it is not the reader's language."""

import datetime as dt
import re

import peewee
import pytest

from crm.db import router
from crm.incidents.models import Incident
from crm.peers.text import detect_language
from tests.conftest import BACKENDS, scratch_database
from tests.search_integration.network import incident, link

SPANISH = ("Incendio en la mezquita del barrio norte",
           "Un incendio provocado destruyó la entrada de la mezquita durante la noche. Los vecinos organizaron una "
           "vigilia al día siguiente y el ayuntamiento abrió un centro de apoyo para las familias.")
FRENCH = ("Incendie à la mosquée du quartier nord",
          "Un incendie criminel a détruit l'entrée de la mosquée pendant la nuit. Les habitants ont organisé une "
          "veillée le lendemain.")
ENGLISH = ("Arson at the mosque of the north district",
           "A fire was set at the entrance of the mosque during the night. Neighbours held a vigil the next day.")
SPANISH_EVENT = ("Taller: responder al odio",
                 "Dos días de trabajo con las ciudades de la red sobre la atención a las víctimas y la comunicación "
                 "después de un atentado.")


# --- the migration ---------------------------------------------------------------------------------

@pytest.fixture(params=BACKENDS)
def database_before(request, tmp_path):
    """A database migrated up to the migration before the language of incidents and events."""
    with scratch_database(request.param, tmp_path, "crm_content_language") as db, db.connection_context():
        router(db).run("025_lesson_language")
        yield db


def _ids(db, table, title_column="title"):
    rows = peewee.Table(table, ("id", title_column)).bind(db)
    return {title: row_id for row_id, title in rows.select(rows.id, getattr(rows, title_column)).tuples()}


def test_the_migration_tags_existing_incidents_and_events_with_the_language_they_are_written_in(database_before):
    db = database_before
    now = dt.datetime(2026, 1, 1)
    peewee.Table("city").bind(db).insert(
        name="Calmville", name_key="calmville", country="CA", region="north_america", level="city", website="",
        languages="[]", expertise="[]", status="active", focal_point_available=False, created_at=now,
        updated_at=now).execute()
    city_id = peewee.Table("city", ("id",)).bind(db).select(peewee.SQL("id")).scalar()
    incidents = peewee.Table("incident").bind(db)
    for title, summary in (SPANISH, FRENCH, ENGLISH):
        incidents.insert(city_id=city_id, title=title, summary=summary, facets="{}", scale="", response="",
                         visibility="network", created_at=now, updated_at=now).execute()
    events = peewee.Table("event").bind(db)
    for title, description in (SPANISH_EVENT, ("Responding to hate: two-day workshop", "")):
        events.insert(title=title, kind="workshop", description=description, venue="", address="", online_url="",
                      timezone="UTC", starts_at=now, ends_at=now + dt.timedelta(hours=8), waiting_list=True,
                      audience_sectors="[]", visibility="members", status="draft", offer_hours=48, reminder_days=3,
                      invitation_reminder_days=7, cancellation_reason="", created_at=now, updated_at=now).execute()
    incident_ids, event_ids = _ids(db, "incident"), _ids(db, "event")

    router(db).run()

    tagged = dict(peewee.Table("incident", ("id", "language")).bind(db)
                  .select(peewee.SQL("id"), peewee.SQL("language")).tuples())
    assert {title: tagged[i] for title, i in incident_ids.items()} == \
        {SPANISH[0]: "es", FRENCH[0]: "fr", ENGLISH[0]: "en"}
    # The same detection lessons use (title, a line, the text).
    assert tagged[incident_ids[SPANISH[0]]] == detect_language(f"{SPANISH[0]}\n{SPANISH[1]}")
    events_tagged = dict(peewee.Table("event", ("id", "language")).bind(db)
                         .select(peewee.SQL("id"), peewee.SQL("language")).tuples())
    assert {title: events_tagged[i] for title, i in event_ids.items()} == \
        {SPANISH_EVENT[0]: "es", "Responding to hate: two-day workshop": "en"}


# --- writing -------------------------------------------------------------------------------------

@pytest.fixture
def member(login_as, network):
    client = login_as("member")
    link(client.user, network["quiet"])
    return client


def _post(client, url, **values):
    data = {"title": ENGLISH[0], "summary": ENGLISH[1], "occurred_on": "2024-05-02", "attack": ["arson"],
            "visibility": "network", **values}
    return client.post(url, data=data)


def test_the_language_chosen_in_the_form_is_stored_and_detected_when_left(member, network):
    url = f"/incidents/new?city={network['quiet'].id}"
    form = member.get(url).get_data(as_text=True)
    assert re.search(r'<select[^>]*name="language"><option (selected )?value="">Detect from the text</option>', form)
    assert '<option value="es">Español</option>' in form and '<option value="de">Deutsch</option>' in form

    assert _post(member, url, language="es").status_code == 302
    chosen = Incident.select().order_by(Incident.id.desc()).first()
    assert chosen.language == "es"  # the writer's word wins over what the text looks like
    edit = member.get(f"/incidents/{chosen.id}/edit").get_data(as_text=True)
    assert "selected" in re.search(r'<option[^>]*value="es"[^>]*>', edit).group(0)

    assert _post(member, url, title=FRENCH[0], summary=FRENCH[1], language="").status_code == 302
    detected = Incident.select().order_by(Incident.id.desc()).first()
    assert detected.language == "fr"  # read from the text

    # Edited and left on "Detect from the text": read again from what is now written.
    assert _post(member, f"/incidents/{detected.id}/edit", title=SPANISH[0], summary=SPANISH[1],
                 language="").status_code == 302
    assert Incident.get_by_id(detected.id).language == "es"

    # A text that says nothing of its language: the writer's interface language.
    assert _post(member, url + "&lang=ar", title="2024", summary="1 2 3", language="").status_code == 302
    assert Incident.select().order_by(Incident.id.desc()).first().language == "ar"

    refused = _post(member, url, language="xx")
    assert refused.status_code == 400 and Incident.select().where(Incident.language == "xx").count() == 0


def test_an_incident_recorded_by_a_service_or_an_import_is_tagged_too(network):
    row = incident(network["quiet"], *SPANISH, {"attack": ["arson"]})
    assert Incident.get_by_id(row.id).language == "es"


# --- reading -------------------------------------------------------------------------------------

def test_a_french_reader_is_told_a_spanish_incident_is_in_spanish_and_a_spanish_reader_is_not(login_as, network):
    row = incident(network["quiet"], *SPANISH, {"attack": ["arson"]}, visibility="public")
    reader = login_as("member")

    french = reader.get(f"/incidents/{row.id}?lang=fr").get_data(as_text=True)
    assert '<p class="muted content-language" data-language="es">Rédigé en espagnol.</p>' in french
    assert f'<h1 lang="es" dir="auto">{SPANISH[0]}</h1>' in french
    assert f'<p lang="es" dir="auto">{SPANISH[1]}</p>' in french

    spanish = reader.get(f"/incidents/{row.id}?lang=es").get_data(as_text=True)
    assert "content-language" not in spanish and "Texto en" not in spanish
    assert f"<h1>{SPANISH[0]}</h1>" in spanish and f"<p>{SPANISH[1]}</p>" in spanish

    english = reader.get(f"/incidents/{row.id}?lang=en").get_data(as_text=True)
    assert '<p class="muted content-language" data-language="es">Written in Spanish.</p>' in english

    # Lists name the language of the title for the reader's browser and screen reader.
    listing = reader.get(f"/incidents/?city={network['quiet'].id}&lang=fr").get_data(as_text=True)
    assert f'href="/incidents/{row.id}" lang="es" dir="auto">{SPANISH[0]}</a>' in listing
    city_page = reader.get(f"/cities/{network['quiet'].id}?lang=fr").get_data(as_text=True)
    assert f'href="/incidents/{row.id}" lang="es" dir="auto">{SPANISH[0]}</a>' in city_page
    in_spanish = reader.get(f"/incidents/?city={network['quiet'].id}&lang=es").get_data(as_text=True)
    assert f'href="/incidents/{row.id}">{SPANISH[0]}</a>' in in_spanish


def test_an_english_incident_to_an_english_reader_is_unchanged(login_as, network):
    row = incident(network["quiet"], *ENGLISH, {"attack": ["arson"]})
    html = login_as("member").get(f"/incidents/{row.id}").get_data(as_text=True)
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "content-language" not in html and ' lang="' not in main and "dir=" not in main
    assert f"<h1>{ENGLISH[0]}</h1>" in html and f"<p>{ENGLISH[1]}</p>" in html
