"""A lesson in several languages (issue 13): each lesson tagged with its language, versions linked to the original,
the reader's language first in lists, the review and privacy rules of lessons for every version."""

import datetime as dt
import re

import peewee
import pytest

from crm.db import router
from crm.lessons import services
from crm.lessons.models import Lesson
from crm.peers.text import detect_language
from tests.conftest import BACKENDS, scratch_database
from tests.search_integration.network import apply, incident, lesson, link

ENGLISH = ("One contact for every family",
           "Name one person who answers the families of the victims, and publish the number on every channel.")
FRENCH = ("Un seul interlocuteur pour chaque famille",
          "Nommez une seule personne qui répond aux familles des victimes, et publiez son numéro partout.")
ARABIC = ("جهة اتصال واحدة لكل أسرة",
          "عيّنوا شخصًا واحدًا يجيب أسر الضحايا، وانشروا رقمه في جميع قنوات المدينة.")


def _cards(html: str) -> list[str]:
    return re.findall(r'<article class="lesson-card">\s*<h3[^>]*><a href="/lessons/\d+">([^<]+)</a>', html)


def _family(city, *, version_status="published"):
    original = lesson(city, *ENGLISH, visibility="network")
    version = services.create_lesson(city, {"title": FRENCH[0], "body": FRENCH[1], "phase": original.phase,
                                            "themes": original.themes, "visibility": "network"},
                                     actor=None, status=version_status, translation_of=original)
    return original, version


# --- the migration ---------------------------------------------------------------------------------

@pytest.fixture(params=BACKENDS)
def database_before(request, tmp_path):
    """A database migrated up to the migration before lesson languages."""
    with scratch_database(request.param, tmp_path, "crm_lesson_language") as db, db.connection_context():
        router(db).run("024_activity_indexes")
        yield db


def test_the_migration_tags_every_existing_lesson_with_the_language_it_is_written_in(database_before):
    db = database_before
    now = dt.datetime(2026, 1, 1)
    city = peewee.Table("city").bind(db)
    city.insert(name="Calmville", name_key="calmville", country="CA", region="north_america", level="city",
                          website="", languages="[]", expertise="[]", status="active", focal_point_available=False,
                          created_at=now, updated_at=now).execute()
    city_id = peewee.Table("city", ("id", "name")).bind(db).select(peewee.SQL("id")).scalar()
    lessons = peewee.Table("lesson").bind(db)
    lesson_ids = peewee.Table("lesson", ("id", "title")).bind(db)
    ids = {}
    for key, (title, body) in {"en": ENGLISH, "fr": FRENCH, "ar": ARABIC}.items():
        lessons.insert(city_id=city_id, title=title, body=body, phase="first_week", themes="[]", status="published",
                       visibility="network", created_at=now, updated_at=now).execute()
        ids[key] = lesson_ids.select(lesson_ids.id).where(lesson_ids.title == title).scalar()
    router(db).run()
    rows = {row[0]: row[1:] for row in peewee.Table("lesson", ("id", "language", "translation_of_id")).bind(db)
            .select(peewee.SQL("id"), peewee.SQL("language"), peewee.SQL("translation_of_id")).tuples()}
    assert {key: rows[i][0] for key, i in ids.items()} == {"en": "en", "fr": "fr", "ar": "ar"}
    assert all(rows[i][1] is None for i in ids.values())  # nothing translates anything yet
    # The same detection the page used before the column existed.
    assert rows[ids["fr"]][0] == detect_language(f"{FRENCH[0]}\n{FRENCH[1]}")


# --- writing -------------------------------------------------------------------------------------

@pytest.fixture
def author(login_as, network):
    client = login_as("member")
    link(client.user, network["quiet"])
    return client


def _post(client, url, **values):
    data = {"title": ENGLISH[0], "body": ENGLISH[1], "phase": "first_week", "themes": ["vigils_gatherings"],
            "incident": "", "visibility": "network", **values}
    return client.post(url, data=data)


def test_the_language_chosen_in_the_form_is_stored_and_detected_when_left(author):
    form = author.get("/lessons/new").get_data(as_text=True)
    assert re.search(r'<select[^>]*name="language"><option (selected )?value="">Detect from the text</option>', form)
    assert '<option value="fr">Français</option>' in form and '<option value="de">Deutsch</option>' in form

    assert _post(author, "/lessons/new", language="es").status_code == 302
    chosen = Lesson.select().order_by(Lesson.id.desc()).first()
    assert chosen.language == "es"  # the writer's word wins over what the text looks like
    edit = author.get(f"/lessons/{chosen.id}/edit").get_data(as_text=True)
    assert re.search(r'<option (selected )?value="es"( selected)?>Español</option>', edit)
    assert "selected" in re.search(r'<option[^>]*value="es"[^>]*>', edit).group(0)

    assert _post(author, "/lessons/new", title=FRENCH[0], body=FRENCH[1], language="").status_code == 302
    assert Lesson.select().order_by(Lesson.id.desc()).first().language == "fr"  # read from the text

    # A text that says nothing of its language: the writer's interface language.
    assert _post(author, "/lessons/new?lang=ar", title="2024", body="1 2 3", language="").status_code == 302
    assert Lesson.select().order_by(Lesson.id.desc()).first().language == "ar"

    refused = _post(author, "/lessons/new", language="xx")
    assert refused.status_code == 400 and Lesson.select().where(Lesson.language == "xx").count() == 0


def test_a_member_writes_a_version_in_another_language_reviewed_like_a_lesson(author, network, login_as):
    original = lesson(network["quiet"], *ENGLISH, visibility="network", themes=["family_liaison"])
    page = author.get(f"/lessons/{original.id}").get_data(as_text=True)
    assert f'href="/lessons/{original.id}/versions/new">Write a version in another language</a>' in page

    form = author.get(f"/lessons/{original.id}/versions/new?language=fr").get_data(as_text=True)
    assert f'value="{ENGLISH[0]}"' in form and ENGLISH[1] in form  # prefilled from the original
    assert "selected" in re.search(r'<option[^>]*value="fr"[^>]*>', form).group(0)

    response = _post(author, f"/lessons/{original.id}/versions/new", title=FRENCH[0], body=FRENCH[1],
                     language="fr", themes=["family_liaison"])
    assert response.status_code == 302
    version = Lesson.select().order_by(Lesson.id.desc()).first()
    assert (version.translation_of_id, version.language, version.city_id, version.status) == \
        (original.id, "fr", original.city_id, "draft")

    # A second French version is refused: edit the first.
    again = _post(author, f"/lessons/{original.id}/versions/new", title=FRENCH[0], body=FRENCH[1], language="fr")
    assert again.status_code == 400 and "already has a version in Français" in again.get_data(as_text=True)
    # A version of the version translates the original (one original, many versions).
    _post(author, f"/lessons/{version.id}/versions/new", title=ARABIC[0], body=ARABIC[1], language="ar")
    assert Lesson.select().order_by(Lesson.id.desc()).first().translation_of_id == original.id

    # Reviewed like any lesson: submitted, then published by the secretariat.
    assert author.post(f"/lessons/{version.id}/submit").status_code == 302
    staff = login_as("staff")
    staff.post(f"/lessons/{version.id}/review", data={"review-action": "publish", "review-comment": ""})
    assert Lesson.get_by_id(version.id).status == "published"


def test_another_citys_member_cannot_write_a_version(login_as, network):
    original = lesson(network["quiet"], *ENGLISH, visibility="network")
    other = login_as("member")
    link(other.user, network["asking"])
    assert "versions/new" not in other.get(f"/lessons/{original.id}").get_data(as_text=True)
    assert other.get(f"/lessons/{original.id}/versions/new").status_code == 403


# --- reading -------------------------------------------------------------------------------------

def test_a_lesson_page_links_its_versions_in_other_languages(client, network):
    original, version = _family(network["quiet"])
    original.visibility = version.visibility = "public"
    original.save(), version.save()
    html = client.get(f"/lessons/{original.id}?lang=en").get_data(as_text=True)
    assert (f'<p class="lesson-versions">Also in: <a href="/lessons/{version.id}" lang="fr" hreflang="fr">'
            'Français</a></p>') in html
    back = client.get(f"/lessons/{version.id}?lang=es").get_data(as_text=True)
    assert f'<a href="/lessons/{original.id}" lang="en" hreflang="en">English</a>' in back
    assert "Texto en francés." in back  # the version says its own language


def test_the_list_shows_each_lesson_once_in_the_readers_language(login_as, network):
    original, version = _family(network["quiet"])
    reader = login_as("member")
    link(reader.user, network["asking"])
    french = _cards(reader.get("/lessons/?lang=fr").get_data(as_text=True))
    assert FRENCH[0] in french and ENGLISH[0] not in french
    english = _cards(reader.get("/lessons/?lang=en").get_data(as_text=True))
    assert ENGLISH[0] in english and FRENCH[0] not in english
    arabic = _cards(reader.get("/lessons/?lang=ar").get_data(as_text=True))
    assert ENGLISH[0] in arabic and FRENCH[0] not in arabic  # no Arabic version: the original
    assert f'<h3 lang="en"><a href="/lessons/{original.id}">' in reader.get("/lessons/?lang=ar").get_data(as_text=True)
    assert len(french) == len(english) == len(arabic)  # one entry per lesson in every language


def test_a_draft_version_is_not_shown_to_others(login_as, network):
    original, version = _family(network["quiet"], version_status="draft")
    reader = login_as("member")
    link(reader.user, network["asking"])
    french = reader.get("/lessons/?lang=fr").get_data(as_text=True)
    assert ENGLISH[0] in _cards(french) and FRENCH[0] not in french  # the original, as before
    page = reader.get(f"/lessons/{original.id}").get_data(as_text=True)
    assert "lesson-versions" not in page and f"/lessons/{version.id}" not in page
    assert reader.get(f"/lessons/{version.id}").status_code == 404
    # The author's city sees its draft linked, marked as a draft.
    author = login_as("member")
    link(author.user, network["quiet"])
    own = author.get(f"/lessons/{original.id}?lang=en").get_data(as_text=True)
    assert 'hreflang="fr">Français</a> <span class="chip">Draft</span>' in own


def test_ranked_lessons_keep_their_order_and_take_the_readers_version(network):
    original, version = _family(network["quiet"])
    other = lesson(network["quiet"], "Prevention with schools", "Years of prevention work with youth.")

    class Member:
        is_authenticated, is_secretariat, city_id = True, False, network["asking"].id

    ranked = [other, original]
    assert [x.id for x in services.in_readers_language(ranked, Member(), "fr")] == [other.id, version.id]
    assert [x.id for x in services.in_readers_language([version, other], Member(), "en")] == [original.id, other.id]
    assert [x.id for x in services.in_readers_language([version, original], Member(), "es")] == [original.id]
    version.status = "draft"
    version.save()
    assert [x.id for x in services.in_readers_language(ranked, Member(), "fr")] == [other.id, original.id]


def test_the_lesson_search_still_finds_every_version(login_as, network):
    original = lesson(network["quiet"], "Okapi vigil lesson", "zebraenglish okapi candles at the vigil")
    services.create_lesson(network["quiet"], {"title": "Leçon okapi de la veillée", "body": "zebrafrench okapi "
                                              "des bougies pour la veillée", "phase": original.phase,
                                              "visibility": "network"},
                           actor=None, status="published", translation_of=original)
    apply()
    reader = login_as("member")
    link(reader.user, network["asking"])
    html = reader.get("/search?q=okapi&lang=fr").get_data(as_text=True)
    assert set(re.findall(r"zebra[a-z]+", html)) == {"zebraenglish", "zebrafrench"}


def test_the_incident_page_lists_its_lesson_once_in_the_readers_language(login_as, network):
    drawn = incident(network["quiet"], "Attack on the town hall", "An arson attack on the town hall.",
                     {"attack": ["arson"]})
    original = lesson(network["quiet"], *ENGLISH, incident_row=drawn)
    version = services.create_lesson(network["quiet"], {"title": FRENCH[0], "body": FRENCH[1], "phase": original.phase,
                                                        "visibility": "network", "incident": drawn},
                                     actor=None, status="published", translation_of=original)
    reader = login_as("member")
    link(reader.user, network["asking"])
    french = reader.get(f"/incidents/{drawn.id}?lang=fr").get_data(as_text=True)
    assert f'href="/lessons/{version.id}"' in french and f'href="/lessons/{original.id}"' not in french
    english = reader.get(f"/incidents/{drawn.id}?lang=en").get_data(as_text=True)
    assert f'href="/lessons/{original.id}"' in english and f'href="/lessons/{version.id}"' not in english


def test_the_workspace_lists_a_lesson_once_in_the_readers_language(login_as, network):
    original = lesson(network["mosque"], "Protect the vigil after a mosque attack",
                      "After the shooting at the mosque we secured the vigil with the community.", phase="first_week",
                      themes=["vigils_gatherings", "security_of_events"])
    version = services.create_lesson(
        network["mosque"], {"title": "Protéger la veillée après une attaque contre une mosquée",
                            "body": "Après la fusillade à la mosquée, nous avons sécurisé la veillée avec la "
                                    "communauté.", "phase": "first_week",
                            "themes": ["vigils_gatherings", "security_of_events"], "visibility": "network"},
        actor=None, status="published", translation_of=original)
    apply()
    member = login_as("member")
    link(member.user, network["asking"])
    response = member.post("/workspace/new", data={
        "description": "Friday a gunman opened fire in the mosque during prayer; the vigil is on Sunday.",
        "phase": "first_week", "needs": "Hold a safe vigil"})
    assert response.status_code == 302, response.get_data(as_text=True)
    page = response.headers["Location"]

    def relevant(language):
        html = member.get(f"{page}?lang={language}").get_data(as_text=True)
        return re.findall(r'href="/lessons/(\d+)"', html.split('id="lessons"')[1].split('id="toolkit"')[0])

    assert str(version.id) in relevant("fr") and str(original.id) not in relevant("fr")
    assert str(original.id) in relevant("en") and str(version.id) not in relevant("en")


def test_editing_a_version_into_a_language_its_family_has_is_refused(login_as, network):
    original, version = _family(network["quiet"])
    staff = login_as("staff")
    refused = _post(staff, f"/lessons/{version.id}/edit", title=FRENCH[0], body=FRENCH[1], language="en")
    assert refused.status_code == 400 and "already has a version in English" in refused.get_data(as_text=True)
    assert Lesson.get_by_id(version.id).language == "fr"
    assert _post(staff, f"/lessons/{version.id}/edit", title=FRENCH[0], body=FRENCH[1],
                 language="es").status_code == 302
    assert Lesson.get_by_id(version.id).language == "es"
