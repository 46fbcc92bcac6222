"""Member journeys: timeline contents and order, who sees what, engagement, dormant members, query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from crm.audit.models import AuditEntry
from crm.db import database
from crm.events.models import Invitation, Registration
from crm.journeys import services
from crm.lessons.models import Lesson
from tests.journeys.conftest import NOW, ago, city, contact, event, mail
from tests.search_integration.network import apply, link


def _text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _text(response) -> str:
    return _text_of(response.get_data(as_text=True))


def _member_of(login_as, home):
    client = login_as("member")
    link(client.user, home)
    return client


class QueryCounter:
    """Counts the SQL statements the database runs (wraps the connection's execute_sql).

    The search index's change log, checked after a response by crm.indexing whatever the page, is left out.
    """

    def __init__(self, monkeypatch):
        self.count = 0
        real = database.obj.execute_sql

        def counting(sql, *args, **kwargs):
            self.count += "index_change" not in sql
            return real(sql, *args, **kwargs)

        monkeypatch.setattr(database.obj, "execute_sql", counting)


# --- contents and order ---------------------------------------------------------------------------

def test_a_city_timeline_holds_every_kind_newest_first(history, make_user):
    AuditEntry.create(action="city.merge", object_type="City", object_id=str(history.river.id), created_at=ago(20),
                      summary="Merged city #99 (River Town) into Rivertown", actor_email="desk@example.org")
    staff = make_user("staff")

    entries = services.city_timeline(history.river, staff)

    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
    lines = [(e.kind, e.text) for e in entries]
    assert lines[:6] == [
        ("record", "Merged city #99 (River Town) into Rivertown"),
        ("mail", "Mailing to ana@rivertown.example: Network news (sent)"),
        ("advice", "Peerford asked this city for advice"),
        ("advice", "Advice from Peerford: Accepted: contacts exchanged"),
        ("advice", "Asked Peerford for advice"),
        ("workspace", "Incident workspace opened: Hate graffiti wave"),
    ]
    assert lines[-3:] == [
        ("mail", "Mail to applicant@rivertown.example: Your application SCN-2024-0001 is approved (sent)"),
        ("application", "Application SCN-2024-0001: approved by Desk Officer"),
        ("application", "Application SCN-2024-0001: submitted"),
    ]
    assert ("attendance", "Attended Regional summit: Ana Focal, Ben Colleague") in lines \
        or ("attendance", "Attended Regional summit: Ben Colleague, Ana Focal") in lines
    assert ("invitation", "Invited to Draft retreat: Ana Focal") in lines  # staff see drafts
    assert ("speaker", "Speaking at Regional summit: Ana Focal") in lines
    assert ("incident", "Incident: Arson at the community centre") in lines
    assert ("status", "Status: Suspended (was active)") in lines
    assert [t for k, t in lines if k == "lesson"] == ["Lesson published: Talking to families first",
                                                     "Lesson submitted for review: Talking to families first",
                                                     "Lesson written: Talking to families first"]
    assert not any("Not Rivertown's mail" in t for _k, t in lines)
    assert not any("Quiet" in t for _k, t in lines)  # another city's records


def test_the_timeline_is_grouped_by_month_with_links(history, login_as):
    staff = login_as("staff")
    html = staff.get(f"/cities/{history.river.id}/journey").get_data(as_text=True)
    months = re.findall(r'<h3 id="m(\d{4}-\d{2})-h"', html)
    assert months == sorted(months, reverse=True) and len(months) == len(set(months)) >= 8
    assert f'href="/lessons/{history.lesson.id}"' in html
    assert f'href="/workspace/{history.workspace.id}"' in html
    assert f'href="/applications/{history.application.id}"' in html
    assert f'href="/outbox/{history.personal.id}"' in html

    only = staff.get(f"/cities/{history.river.id}/journey?kind=lesson")
    assert re.findall(r'data-kind="(\w+)"', only.get_data(as_text=True)) == ["lesson"] * 3

    staff.user.timezone = "Pacific/Auckland"  # the reader's zone: times shown and grouped there
    staff.user.save()
    html = staff.get(f"/cities/{history.river.id}/journey").get_data(as_text=True)
    assert "NZ" in html and re.findall(r'<h3 id="m(\d{4}-\d{2})-h"', html) == sorted(
        set(re.findall(r'<h3 id="m(\d{4}-\d{2})-h"', html)), reverse=True)


def test_months_follow_the_readers_time_zone_but_days_stay_days():
    from zoneinfo import ZoneInfo

    late = services.Entry(dt.datetime(2026, 1, 31, 23, 30), "mail", "Late mail")
    attack = services.Entry(dt.datetime(2026, 2, 1), "incident", "Incident: Attack", day_only=True)
    assert [(m.title, [e.text for e in m.entries]) for m in services.by_month([attack, late])] == [
        ("February 2026", ["Incident: Attack"]), ("January 2026", ["Late mail"])]
    oslo = services.by_month([attack, late], ZoneInfo("Europe/Oslo"))  # 00:30 on 1 February there
    assert [(m.title, [e.text for e in m.entries]) for m in oslo] == [("February 2026", ["Incident: Attack", "Late mail"])]
    assert oslo[0].entries[1].shown_at == dt.datetime(2026, 2, 1, 0, 30)
    chicago = services.by_month([attack], ZoneInfo("America/Chicago"))  # a day is not shifted to 31 January
    assert chicago[0].entries[0].shown_at == dt.datetime(2026, 2, 1)


def test_a_long_timeline_shows_the_newest_entries_and_links_to_all(history, login_as, monkeypatch):
    from crm.journeys import views

    monkeypatch.setattr(views, "TIMELINE_SHOWN", 5)
    staff = login_as("staff")
    html = staff.get(f"/cities/{history.river.id}/journey").get_data(as_text=True)
    assert len(re.findall(r'class="journey-entry', html)) == 5
    assert "The newest 5 of 23 entries" in _text_of(html)
    assert f'href="/cities/{history.river.id}/journey?all=1"' in html
    everything = staff.get(f"/cities/{history.river.id}/journey?all=1").get_data(as_text=True)
    assert len(re.findall(r'class="journey-entry', everything)) == 23
    lessons = staff.get(f"/cities/{history.river.id}/journey?kind=lesson").get_data(as_text=True)
    assert len(re.findall(r'class="journey-entry', lessons)) == 3 and "all=1" not in lessons


def test_a_contact_timeline_shows_events_advice_and_mail(history, login_as):
    entries = services.contact_timeline(history.ana)
    lines = [(e.kind, e.text) for e in entries]
    assert lines[:2] == [("mail", "Mailing to ana@rivertown.example: Network news (sent)"),
                         ("advice", "Asked for advice on behalf of Peerford")]
    assert ("invitation", "Accepted the invitation to Regional summit") in lines
    assert ("attendance", "Attended Old webinar") in lines
    assert ("speaker", "Speaking at Regional summit: Rebuilding trust after arson") in lines
    assert not any("Ben" in t for _k, t in lines)

    staff = login_as("staff")
    page = _text(staff.get(f"/contacts/{history.ana.id}/journey"))
    assert "Journey of Ana Focal" in page and "Your personal invitation, Ana" in page
    assert "Events attended in the last 12 months 1" in page


# --- engagement and dormant members ---------------------------------------------------------------

def test_engagement_summary_of_a_city(history, make_user):
    staff = make_user("staff")
    entries = services.city_timeline(history.river, staff)
    summary = services.city_engagement(history.river, staff, entries, now=NOW)
    assert summary.last_activity_at == ago(80)  # it asked Peerford for advice; staff mail since does not count
    assert summary.events_attended_12m == 1  # the summit; the webinar was 15 months ago
    assert summary.lessons_published == 1 and summary.open_workspaces == 1 and summary.contacts == 2
    assert summary.mails == 3

    member = make_user("member")
    link(member, history.river)
    assert services.city_engagement(history.river, member, services.city_timeline(history.river, member)).mails is None


def test_dormant_members_longest_silence_first(history, login_as):
    never = city("Silentburg", joined_days=2000)  # joined long ago, never acted
    contact("Sam Silent", never, role="focal_point")

    found = services.dormant_cities(12, now=NOW)
    assert [(d.city.name, d.last_activity_at) for d in found] == [("Silentburg", None), ("Quietville", ago(730))]
    assert [c.name for c in services.with_focal_points(found)[1].focal_points] == ["Quinn Quiet"]
    assert found[1].focal_points == ()  # the list alone holds none: the page asks for its own rows
    assert found[1].months_silent == 24
    # at 2 months Rivertown (last acted 80 days ago) joins them; Peerford (opened a workspace 60 days ago) and
    # Newham (joined 30 days ago) do not; the withdrawn city is no member
    assert [d.city.name for d in services.dormant_cities(2, now=NOW)] == ["Silentburg", "Quietville", "Rivertown"]
    assert [d.city.name for d in services.dormant_cities(12, region="north_america", now=NOW)] == ["Quietville"]
    assert [d.city.name for d in services.dormant_cities(36, now=NOW)] == ["Silentburg"]

    # a registration today wakes Quietville up
    Registration.create(event=event("Next webinar", -5, status="published"), contact=history.quinn,
                        status="registered", created_at=NOW)
    assert [d.city.name for d in services.dormant_cities(12, now=NOW)] == ["Silentburg"]


def test_dormant_page_for_staff(history, login_as):
    staff = login_as("staff")
    page = staff.get("/journeys/dormant?months=12")
    assert page.status_code == 200
    rows = re.findall(r'class="dormant-row" data-city="(\d+)"', page.get_data(as_text=True))
    assert rows == [str(history.quiet.id)]
    assert "Quinn Quiet" in _text(page) and "1 of 4 active member cities" in _text(page)
    assert staff.get("/journeys/dormant?months=7").status_code == 200  # an unknown choice falls back to 12


def test_the_dormant_list_pages(history, login_as, monkeypatch):
    from crm.journeys import views

    city("Silentburg", joined_days=2000)
    monkeypatch.setattr(views, "DORMANT_PER_PAGE", 1)
    staff = login_as("staff")
    first = staff.get("/journeys/dormant?months=12").get_data(as_text=True)
    assert "Silentburg" in first and "Quietville" not in first and "Cities 1–1 of 2." in _text_of(first)
    second = staff.get("/journeys/dormant?months=12&page=2").get_data(as_text=True)
    assert "Quietville" in second and "Silentburg" not in second
    assert "Quietville" in staff.get("/journeys/dormant?months=12&page=99").get_data(as_text=True)  # the last page


def test_the_dashboard_panel_names_the_longest_silent(history, login_as):
    page = login_as("staff").get("/dashboard")
    text = _text(page)
    assert "1 active member city with no activity in 12 months" in text and "Quietville 24 months · Quinn Quiet" in text
    assert 'href="/journeys/dormant"' in page.get_data(as_text=True)


# --- who sees what --------------------------------------------------------------------------------

STAFF_ONLY = ("Your personal invitation, Ana", "Network news", "Peerford asked this city", "Draft retreat",
              "Desk Officer", "applicant@rivertown.example", "Mails to its people")


def test_a_member_sees_their_own_citys_journey_without_staff_only_entries(history, login_as):
    member = _member_of(login_as, history.river)
    response = member.get(f"/cities/{history.river.id}/journey")
    assert response.status_code == 200
    page = _text(response)
    for shown in ("Talking to families first", "Hate graffiti wave", "Asked Peerford for advice",
                  "Attended Regional summit", "Status: Suspended", "Application SCN-2024-0001: approved"):
        assert shown in page
    for hidden in STAFF_ONLY:
        assert hidden not in page, hidden
    html = response.get_data(as_text=True)
    assert "/applications/" not in html and "/outbox/" not in html and "/audit/" not in html
    assert f'href="/workspace/{history.workspace.id}"' in html


def test_a_member_finds_their_journey_in_the_navigation(history, login_as):
    member = _member_of(login_as, history.river)
    home = member.get("/").get_data(as_text=True)
    assert 'href="/journey"' in home
    response = member.get("/journey")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/cities/{history.river.id}/journey")
    assert login_as("member").get("/journey").status_code == 404  # an official not linked to a city
    assert login_as("staff").get("/journey").status_code == 403


def test_other_cities_officials_and_visitors_see_nothing(history, login_as, client):
    other = _member_of(login_as, history.peer)
    response = other.get(f"/cities/{history.river.id}/journey")
    assert response.status_code == 404
    assert "Hate graffiti" not in response.get_data(as_text=True)
    assert other.get(f"/contacts/{history.ana.id}/journey").status_code == 403
    assert other.get("/journeys/dormant").status_code == 403
    assert other.get(f"/cities/{history.peer.id}/journey").status_code == 200
    # Peerford's own journey shows the request it asked, never Rivertown's workspace
    assert "Hate graffiti" not in _text(other.get(f"/cities/{history.peer.id}/journey"))

    for url in (f"/cities/{history.river.id}/journey", f"/contacts/{history.ana.id}/journey", "/journeys/dormant"):
        response = client.get(url)
        assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    assert login_as("staff").get("/cities/999999/journey").status_code == 404


def test_the_city_and_contact_pages_link_to_the_journey(history, login_as):
    staff = login_as("staff")
    assert f'href="/cities/{history.river.id}/journey"' in staff.get(f"/cities/{history.river.id}").get_data(as_text=True)
    assert f'href="/contacts/{history.ana.id}/journey"' in staff.get(f"/contacts/{history.ana.id}").get_data(as_text=True)
    own = _member_of(login_as, history.river)
    assert f'href="/cities/{history.river.id}/journey"' in own.get(f"/cities/{history.river.id}").get_data(as_text=True)
    other = _member_of(login_as, history.peer)
    assert f"/cities/{history.river.id}/journey" not in other.get(f"/cities/{history.river.id}").get_data(as_text=True)


# --- cost -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["staff", "member"])
def test_the_journey_page_costs_the_same_queries_whatever_the_history(history, login_as, monkeypatch, who):
    client = login_as(who) if who == "staff" else _member_of(login_as, history.river)
    url = f"/cities/{history.river.id}/journey"
    client.get(url)  # warm: the user, the session
    counter = QueryCounter(monkeypatch)
    assert client.get(url).status_code == 200
    before = counter.count

    for n in range(15):  # fifteen more events, people, lessons, workspaces and mails
        person = contact(f"Extra Person{n}", history.river, email=f"extra{n}@rivertown.example")
        ev = event(f"Extra event {n}", 10 + n)
        Invitation.create(event=ev, contact=person, status="accepted", sent_at=ago(40 + n), answered_at=ago(30 + n))
        Registration.create(event=ev, contact=person, status="registered", created_at=ago(30 + n),
                            checked_in_at=ago(10 + n))
        Lesson.create(city=history.river, title=f"Extra lesson {n}", phase="long_term", created_at=ago(n))
        mail(person.email, f"Extra mail {n}", n)
    apply()  # the search index's change log, applied now rather than after the next response
    client.get(url)
    counter.count = 0
    response = client.get(url)
    assert response.status_code == 200 and "Extra event 14" in response.get_data(as_text=True)
    assert counter.count == before, (before, counter.count)
    assert counter.count <= 30, counter.count


def test_the_contact_journey_and_dormant_list_cost_a_bounded_number_of_queries(history, login_as, monkeypatch):
    staff = login_as("staff")
    staff.get("/journeys/dormant")
    counter = QueryCounter(monkeypatch)
    staff.get("/journeys/dormant")
    dormant_before = counter.count
    for n in range(20):
        contact(f"Sleepy Focal{n}", city(f"Sleepy town {n}", joined_days=1000 + n), role="focal_point",
                email=f"focal{n}@sleepy.example")
    apply()  # the search index's change log, applied now rather than after the next response
    counter.count = 0
    page = staff.get("/journeys/dormant")
    assert "Sleepy town 19" in page.get_data(as_text=True)
    assert counter.count == dormant_before and counter.count <= 20, (dormant_before, counter.count)

    counter.count = 0
    assert staff.get(f"/contacts/{history.ana.id}/journey").status_code == 200
    assert counter.count <= 20, counter.count
