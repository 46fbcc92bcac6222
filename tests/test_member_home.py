"""A member's home page: first steps for a new city, their workspaces, events and lessons — their own only."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from crm.contacts.models import Contact
from crm.db import utcnow
from crm.events.models import Event, Invitation, Registration
from crm.lessons.models import Lesson
from crm.membership.models import City
from crm.workspace.models import AdviceRequest, Workspace
from tests.helpers import login, sign_in_page


def _city(name, **values):
    return City.create(name=name, name_key=name.lower(), country="NO", **values)


def _member(app, make_user, city):
    user = make_user("member", email=f"official@{city.name.lower()}.example.org")
    user.city = city.id
    user.save()
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client, user


def _home(client) -> str:
    return " ".join(client.get("/").get_data(as_text=True).split())


def _event(title, *, visibility="members", status="published", days=10):
    start = (utcnow() + dt.timedelta(days=days)).replace(microsecond=0)
    return Event.create(title=title, kind="workshop", status=status, visibility=visibility, starts_at=start,
                        ends_at=start + dt.timedelta(hours=8), timezone="Europe/Oslo", capacity=20)


def test_a_new_city_sees_its_first_steps_until_it_has_taken_them(app, make_user):
    city = _city("Bodø")
    client, user = _member(app, make_user, city)
    html = _home(client)
    assert "Your first steps in the network" in html
    assert 'data-testid="onboarding-progress">0 of 4<' in html
    assert "Missing: region, population, website, languages." in html
    City.update(region="northern_europe", population=52000, website="https://bodo.kommune.no", languages=["no"],
                expertise=["victim_support"]).where(City.id == city.id).execute()
    contact = Contact.create(name="Kari Focal", email="kari@bodo.example.org", city=city, city_role="focal_point")
    html = _home(client)
    assert 'data-testid="onboarding-progress">3 of 4<' in html and 'data-step="event"' in html
    Registration.create(event=_event("Workshop in Oslo"), contact=contact, status="registered")
    assert "Your first steps in the network" not in _home(client)  # every step taken: the list goes


def test_the_home_shows_this_citys_workspaces_events_and_lessons_not_others(app, make_user):
    mine, other = _city("Bodø"), _city("Tromsø")
    client, user = _member(app, make_user, mine)
    me = Contact.create(name=user.name, email=user.email, city=mine)
    open_ws = Workspace.create(city=mine, title="Vigil after the attack on the mosque", description="…")
    Workspace.create(city=mine, title="Closed long ago", description="…", status="closed")
    Workspace.create(city=other, title="Tromsø confidential workspace", description="…")
    AdviceRequest.create(workspace=open_ws, peer_city=other, message="Could we talk?")
    Lesson.create(city=mine, title="Our draft on rumours", body="…", phase="first_week", status="draft")
    Lesson.create(city=other, title="Tromsø draft lesson", body="…", phase="first_week", status="draft")
    Lesson.create(city=mine, title="Published one", body="…", phase="first_week", status="published")
    soon = _event("Recovery workshop")
    Registration.create(event=soon, contact=me, status="waiting", waiting_position=1)
    _event("Staff planning draft", status="draft")
    _event("Closed round table", visibility="invitation")
    invited = _event("Mayors' round table", visibility="invitation")
    Invitation.create(event=invited, contact=me)
    _event("Last year's workshop", days=-300)

    html = _home(client)
    assert "Vigil after the attack on the mosque" in html and "Closed long ago" not in html
    assert "Tromsø: Waiting for the secretariat" in html
    assert "Tromsø confidential workspace" not in html and "Tromsø draft lesson" not in html
    assert "Our draft on rumours" in html and "1 lesson shared with the network." in html
    assert "Recovery workshop" in html and "Mayors&#39; round table" in html
    events = html.split("Upcoming events", 1)[1].split("</article>", 1)[0]
    assert "Recovery workshop</a>" in events and "<strong>Waiting list</strong>" in events
    for hidden in ("Staff planning draft", "Closed round table", "Last year&#39;s workshop"):
        assert hidden not in html


def test_staff_still_land_on_the_dashboard(login_as):
    html = login_as("staff").get("/").get_data(as_text=True)
    assert "<h1>Dashboard</h1>" in html and "Your first steps in the network" not in html


@pytest.mark.browser
def test_a_new_member_follows_the_first_step_from_the_home_page(page, app, make_user, tmp_path):
    city = _city("Bodø", region="northern_europe")
    user = make_user("member", email="official@bodo.example.org", name="Kari Nordmann")
    user.city = city.id
    user.save()
    _event("Recovery workshop")
    sign_in_page(page, "official@bodo.example.org")
    steps = page.get_by_role("article").filter(has=page.get_by_role("heading", name="Your first steps in the network"))
    assert steps.get_by_test_id("onboarding-progress").inner_text() == "0 of 4"
    assert page.get_by_role("link", name="Recovery workshop").is_visible()
    assert page.get_by_role("button", name="Open a workspace").is_visible()
    page.screenshot(path=str(tmp_path / "member-home.png"), full_page=True)
    steps.get_by_role("link", name="Complete your city's profile").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/cities/{city.id}/edit")
    shutil.copytree(tmp_path, "/tmp/member-home-shots", dirs_exist_ok=True)
