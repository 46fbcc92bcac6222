"""Duplicate cities: names matched without authority words and across levels, a soft warning to the applicant,
a "possible duplicates" panel for the secretariat, and a merge of two cities that keeps every link."""

import re

import pytest

from crm.audit.models import AuditEntry
from crm.core.names import core_name, name_similarity
from crm.indexing import IndexChange
from crm.membership.models import Application, City, CityStatusChange


def submit(client, data):
    return client.post("/apply", data=data)


@pytest.mark.parametrize("typed, member", [
    ("city of MEDELLIN", "Medellín"), ("medellín", "Medellín"), ("BAERUM", "Bærum"), ("Bærum kommune", "Bærum"),
    ("Trollhattan", "Trollhättan"), ("Ville de Lyon", "Lyon"), ("Comune di Bari", "Bari"),
    ("Municipio de Cali", "Cali"), ("Gemeente Utrecht", "Utrecht"), ("Città di Torino", "Torino"),
    ("Ayuntamiento de Málaga", "Malaga"), ("Stadt Köln", "Köln"), ("Malmö stad", "Malmö")])
def test_authority_words_case_and_accents_do_not_hide_a_name(typed, member):
    assert core_name(typed) == core_name(member)
    assert name_similarity(typed, member) == 1.0


def test_spelling_variants_are_similar_and_other_cities_are_not():
    assert name_similarity("Medelin", "Medellín") >= 0.85
    assert name_similarity("Gothenburg", "Göteborg") < 0.85
    assert name_similarity("Oslo", "Bergen") < 0.5
    assert core_name("Stadt") == "stadt"  # an authority word alone stays a name


@pytest.mark.parametrize("typed, level, member, member_level, country", [
    ("city of MEDELLIN", "city", "Medellín", "city", "CO"),
    ("medellín", "municipality", "Medellín", "city", "CO"),
    ("BAERUM", "city", "Bærum", "municipality", "NO"),
    ("Trollhattan", "city", "Trollhättan", "municipality", "SE"),
    ("Medelin", "city", "Medellín", "city", "CO"),
])
def test_applicant_is_warned_softly_and_staff_see_possible_duplicates(client, login_as, form_data, make_city,
                                                                      typed, level, member, member_level, country):
    city = make_city(member, country=country, level=member_level)
    response = submit(client, form_data(authority_name=typed, level=level, country=country))
    assert response.status_code == 302  # accepted: the warning does not block
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thank you" in thanks and f"<strong>{member}</strong>" in thanks and "similar name" in thanks
    application = Application.get()
    page = login_as("staff").get(f"/applications/{application.id}").get_data(as_text=True)
    assert "Possible duplicates" in page
    assert f'href="/cities/{city.id}">{member}</a>' in page


def test_no_panel_without_a_similar_name(client, login_as, form_data, make_city):
    make_city("Medellín", country="CO")
    make_city("Malmö", country="NO")  # same name, another country: another city
    response = submit(client, form_data(authority_name="Malmö", country="SE"))
    assert "similar name" not in client.get(response.headers["Location"]).get_data(as_text=True)
    page = login_as("staff").get(f"/applications/{Application.get().id}").get_data(as_text=True)
    assert "Possible duplicates" not in page


def _linked_rows(kept, other, make_user):
    """Give ``other`` one row of every kind of link a city has; return how many each model got."""
    from crm.contacts.models import Contact
    from crm.events.models import Event
    from crm.incidents.models import Incident
    from crm.lessons.models import Lesson, LessonCity
    from crm.workspace.models import AdviceRequest, Workspace

    Contact.create(name="Ana Ruiz", name_key="ana ruiz", email="ana@medellin.example.org", city=other)
    user = make_user("member")
    user.city = other.id
    user.save()
    CityStatusChange.create(city=other, status="active", reason="Joined", changed_on=kept.created_at.date())
    Incident.create(city=other, title="Graffiti at the mosque")
    lesson = Lesson.create(city=other, title="Talk to families first", phase="response")
    shared = Lesson.create(city=kept, title="Shared with both", phase="response")
    LessonCity.create(lesson=shared, city=kept)
    LessonCity.create(lesson=shared, city=other)  # the kept city already has this link: it is not doubled
    LessonCity.create(lesson=lesson, city=other)
    workspace = Workspace.create(city=other, title="After the attack", description="What we do")
    AdviceRequest.create(workspace=Workspace.create(city=kept, title="Ours", description="x"), peer_city=other,
                         message="Help")
    Event.create(title="Forum", kind="workshop", timezone="America/Bogota", starts_at=kept.created_at,
                 ends_at=kept.created_at, status="published", visibility="members", host_city=other)
    return user, workspace


def test_staff_merge_two_cities_keeping_every_link(login_as, make_user, make_city):
    from crm.contacts.models import Contact
    from crm.events.models import Event
    from crm.incidents.models import Incident
    from crm.lessons.models import Lesson, LessonCity
    from crm.workspace.models import AdviceRequest, Workspace

    kept = make_city("Medellín", country="CO", languages=["es"], population=2_500_000)
    other = make_city("medellín", country="CO", level="municipality", languages=["en"], website="https://x.co")
    user, workspace = _linked_rows(kept, other, make_user)
    staff = login_as("staff")
    page = staff.get(f"/cities/{other.id}").get_data(as_text=True)
    assert "Possible duplicates" in page and f"/cities/{kept.id}/merge/{other.id}" in page
    preview = staff.get(f"/cities/{kept.id}/merge/{other.id}").get_data(as_text=True)
    assert "1 × Contact" in preview and "1 × Incident" in preview and "2 × LessonCity" in preview
    IndexChange.delete().execute()
    response = staff.post(f"/cities/{kept.id}/merge/{other.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/cities/{kept.id}")
    assert City.get_or_none(City.id == other.id) is None
    assert Contact.get().city_id == kept.id
    assert type(user).get_by_id(user.id).city_id == kept.id
    assert {c.city_id for c in CityStatusChange.select()} == {kept.id}
    assert Incident.get().city_id == kept.id
    assert {lesson.city_id for lesson in Lesson.select()} == {kept.id}
    assert LessonCity.select().where(LessonCity.city == kept.id).count() == 2
    assert LessonCity.select().count() == 2
    assert Workspace.get_by_id(workspace.id).city_id == kept.id
    assert AdviceRequest.get().peer_city_id == kept.id
    assert Event.get().host_city_id == kept.id
    kept = City.get_by_id(kept.id)
    assert kept.languages == ["es", "en"] and kept.website == "https://x.co" and kept.population == 2_500_000
    entry = AuditEntry.get(AuditEntry.action == "city.merge")
    assert entry.object_id == str(kept.id) and entry.changes["merged_id"] == other.id
    assert entry.changes["merged"]["name"] == "medellín" and entry.changes["links_moved"]["contact.city"] == 1
    changes = {c.doc_id: c.op for c in IndexChange.select()}
    assert changes[f"city:{other.id}"] == "delete" and changes[f"city:{kept.id}"] == "upsert"
    page = staff.get(f"/cities/{kept.id}").get_data(as_text=True)
    assert "Merged medellín" in page and "Ana Ruiz" in page
    assert re.search(r'data-testid="merged-city">[^<]*medellín \(#' + str(other.id) + r'\) merged into this city', page)


def test_merge_is_for_the_secretariat_only_and_refuses_a_city_with_itself(login_as, make_city):
    kept, other = make_city("Oslo"), make_city("OSLO kommune")
    assert login_as("member").post(f"/cities/{kept.id}/merge/{other.id}").status_code == 403
    staff = login_as("staff")
    response = staff.post(f"/cities/{kept.id}/merge/{kept.id}", follow_redirects=True)
    assert "Choose two different cities" in response.get_data(as_text=True)
    assert City.select().count() == 2
