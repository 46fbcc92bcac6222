"""A city's page shows its officials' event registrations to staff and its own officials only; officials of
other cities see the city's focal points, and only where they agreed to be listed."""

import datetime as dt
import re

import pytest

from crm.contacts.models import Contact
from crm.db import utcnow
from crm.events import services as events
from crm.events.models import Event
from tests.search_integration.network import link


def _event(title, visibility, capacity):
    start = (utcnow() + dt.timedelta(days=10)).replace(microsecond=0)
    return Event.create(title=title, kind="workshop", timezone="Europe/Oslo", starts_at=start,
                        ends_at=start + dt.timedelta(hours=8), capacity=capacity, status="published",
                        visibility=visibility, waiting_list=True)


@pytest.fixture
def rome(make_city):
    """Rome's officials on two events: a members' workshop and a full invitation-only exercise."""
    rome = make_city("Rome", country="IT", region="southern_europe")
    people = {key: Contact.create(name=name, email=f"{key}@rome.example.org", city=rome, city_role=role)
              for key, name, role in [("focal", "Fabia Focal", "focal_point"), ("shy", "Sisto Shy", ""),
                                      ("listed", "Livia Listed", ""), ("waiting", "Walter Waiting", ""),
                                      ("seated", "Sergio Seated", "")]}
    workshop = _event("Workshop on rumours", "members", 20)
    events.register(workshop, contact=people["focal"], details={"consent_listed": True})
    events.register(workshop, contact=people["shy"], details={"consent_listed": False})
    events.register(workshop, contact=people["listed"], details={"consent_listed": True,
                                                                  "consent_share_email": True})
    exercise = _event("Table-top exercise", "invitation", 1)
    events.register(exercise, contact=people["seated"], invited=True, details={"consent_listed": True})
    _, created = events.register(exercise, contact=people["waiting"], invited=True, details={"consent_listed": True})
    assert created
    return rome, people


def _participation(response) -> str:
    assert response.status_code == 200
    return re.search(r'<section class="event-participation".*?</section>', response.get_data(as_text=True),
                     re.S).group(0)


def test_officials_of_another_city_see_only_listed_focal_points(login_as, make_city, rome):
    city, people = rome
    member = login_as("member")
    link(member.user, make_city("Oslo"))
    html = member.get(f"/cities/{city.id}").get_data(as_text=True)
    section = _participation(member.get(f"/cities/{city.id}"))
    assert "Fabia Focal" in section and "Workshop on rumours" in section and "1 registered" in section
    for key in ("shy", "listed", "waiting", "seated"):
        assert people[key].name not in html and people[key].email not in html, key
    assert "Table-top exercise" not in html


def test_staff_see_every_registration(login_as, rome):
    city, people = rome
    section = _participation(login_as("staff").get(f"/cities/{city.id}"))
    for person in people.values():
        assert person.name in section
    assert "Walter Waiting (waiting list)" in section and "3 registered" in section


def test_the_citys_own_officials_see_their_colleagues_on_events_they_may_see(login_as, rome):
    city, people = rome
    member = login_as("member")
    link(member.user, city)
    section = _participation(member.get(f"/cities/{city.id}"))
    assert all(people[key].name in section for key in ("focal", "shy", "listed"))
    assert "Table-top exercise" not in section  # by invitation, and this official was not invited
