"""No write path can forget the index: after every way of creating, changing and deleting a record of
each indexed kind, ``crm search check`` finds the index in line with the database."""

import datetime as dt

from click.testing import CliRunner

from crm import indexing
from crm.contacts import services as contacts
from crm.contacts.imports import check_contacts, import_contacts
from crm.contacts.models import Contact
from crm.events.models import Event
from crm.incidents import services as incidents
from crm.incidents.models import Incident
from crm.lessons import services as lessons
from crm.lessons.models import Lesson, LessonCity, ToolkitItem
from crm.membership import services as membership
from crm.membership.imports import check_cities, import_cities
from crm.membership.models import City
from tests.membership.conftest import application_form
from tests.search_integration.network import incident, lesson


def _assert_clean(step: str) -> None:
    indexing.apply_pending(wait=True)
    report = indexing.check()
    assert report.ok, f"after {step}: missing {report.missing}, stale {report.stale}, extra {report.extra}"


def test_every_indexed_model_is_logged_by_every_write_path(app, network, login_as):
    with app.test_request_context():  # services that mail build absolute links from the request
        _every_write_path(app, network, login_as)


def _every_write_path(app, network, login_as):
    assert {k.model for k in indexing.KINDS.values()} == {City, Contact, Incident, Lesson, ToolkitItem}
    staff = login_as("staff")
    _assert_clean("the network")

    # cities: an approved application, an import, edits, a status change, bulk queries, a deletion
    application = membership.submit_application(dict(application_form(authority_name="Driftville", country="SE"),
                                                     languages=["en"]), notify=False)
    city = membership.approve_application(application, actor=staff.user)
    _assert_clean("approving an application")
    plan = check_cities("name,country,region,population,languages,expertise\n"
                        "Importburg,Germany,Europe,120000,de,victim_support\n")
    import_cities(plan, actor=staff.user)
    _assert_clean("importing cities")
    membership.update_city(city, {"name": "Driftville upon Sea"}, actor=staff.user)
    membership.change_city_status(city, "suspended", reason="Test", actor=staff.user)
    _assert_clean("editing a city")
    City.update(population=1).where(City.name == "Importburg").execute()
    _assert_clean("a bulk update of cities")

    # contacts: by hand, by event registration of a new person, by import, merge, erasure, bulk
    kept = contacts.create_contact({"name": "Ada Drift", "email": "ada@drift.example", "city": city.id}, actor=staff.user)
    other = contacts.create_contact({"name": "Ada Drift", "email": "ada2@drift.example"}, actor=staff.user)
    _assert_clean("creating contacts")
    start = (dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=10)).replace(microsecond=0)
    event = Event.create(title="Drift workshop", kind="workshop", timezone="Europe/Oslo", starts_at=start,
                         ends_at=start + dt.timedelta(hours=4), capacity=10, status="published", visibility="public")
    response = app.test_client().post(f"/events/{event.id}/join", data={
        "name": "Newcomer Person", "email": "newcomer@drift.example", "organisation": "Somewhere",
        "sector": "other", "consent_listed": "y", "city": str(network["quiet"].id)})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert Contact.get_or_none(Contact.email == "newcomer@drift.example") is not None
    _assert_clean("an event registration by a new person")
    member = login_as("member")
    member.user.city = network["quiet"].id
    member.user.save()
    member.post(f"/events/{event.id}/register")
    _assert_clean("an event registration by a member")
    import_contacts(check_contacts("name,email,position\nIm Ported,imported@drift.example,Adviser\n"
                                   "Sec Ond,second@drift.example,Officer\n"), actor=staff.user)
    assert Contact.select().where(Contact.email.in_(["imported@drift.example", "second@drift.example"])).count() == 2
    _assert_clean("importing contacts")
    contacts.update_contact(kept, {"name": "Ada Drift", "email": "ada@drift.example", "position": "Chief"},
                            actor=staff.user)
    contacts.merge_contacts(kept, other, {}, actor=staff.user)
    _assert_clean("editing and merging contacts")
    contacts.erase_contact(Contact.get(Contact.email == "imported@drift.example"), actor=staff.user)
    _assert_clean("erasing a contact")
    Contact.update(position="Bulk").where(Contact.email == "second@drift.example").execute()
    Contact.delete().where(Contact.email == "newcomer@drift.example").execute()
    _assert_clean("bulk contact queries")

    # incidents and lessons: services, sharing, the workflow, imports from text, deletions
    row = incident(city, "Drift attack", "A truck drove into a market.", {"attack": ["vehicle_ramming"]})
    drawn = lesson(city, "Drift lesson", "Vigils after the drift attack.", incident_row=row,
                   visibility="cities", shared=[network["market"]])
    incidents.update_incident(row, {"title": "Drift attack, revised", "summary": "A truck drove into a crowd.",
                                    "facets": {"attack": ["vehicle_ramming"]}, "visibility": "public"},
                              actor=staff.user)
    _assert_clean("incidents and lessons")
    incidents.record_from_text(city, "In 2016 a truck drove into a crowd. In June 2022 a man stabbed people.")
    _assert_clean("incidents from text")
    LessonCity.create(lesson=drawn, city=network["mosque"])
    _assert_clean("sharing a lesson with one more city")
    LessonCity.delete().where(LessonCity.lesson == drawn.id).execute()
    _assert_clean("unsharing a lesson")
    draft = lesson(network["quiet"], "Drift draft", "Notes.", status="draft")
    lessons.submit_lesson(draft, actor=staff.user)
    lessons.publish_lesson(draft, actor=staff.user)
    lessons.archive_lesson(draft, actor=staff.user)
    _assert_clean("the lesson workflow")
    incidents.delete_incident(row, actor=staff.user)
    _assert_clean("deleting an incident a lesson was drawn from")
    Lesson.update(title="Bulk title").where(Lesson.id == draft.id).execute()
    Lesson.delete().where(Lesson.id == draft.id).execute()
    _assert_clean("bulk lesson queries")

    # the toolkit and deleting cities with everything that copies their details
    item = lessons.save_toolkit_item(None, {"title": "Drift item", "phase": "preparing", "guidance": "Plan."},
                                     actor=staff.user)
    lessons.save_toolkit_item(item, {"title": "Drift item", "phase": "preparing", "guidance": "Plan well."},
                              actor=staff.user)
    ToolkitItem.delete().where(ToolkitItem.id == item.id).execute()
    _assert_clean("the toolkit")
    Contact.update(city=None).where(Contact.city == city.id).execute()
    Incident.delete().where(Incident.city == city.id).execute()
    city.delete_instance()
    _assert_clean("deleting a city")


def test_search_check_command_is_clean_after_an_event_registration(app, network):
    start = (dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=10)).replace(microsecond=0)
    event = Event.create(title="Open day", kind="workshop", timezone="Europe/Oslo", starts_at=start,
                         ends_at=start + dt.timedelta(hours=4), capacity=10, status="published", visibility="public")
    for n in range(3):
        response = app.test_client().post(f"/events/{event.id}/join", data={
            "name": f"Visitor {n}", "email": f"visitor{n}@drift.example", "organisation": "Somewhere",
            "sector": "other", "consent_listed": "y", "city": str(network["quiet"].id)})
        assert response.status_code == 200
    result = CliRunner().invoke(app.cli, ["search", "check"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "missing: 0" in result.output
