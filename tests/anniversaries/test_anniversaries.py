"""Anniversaries calendar: the computation, who sees what (page, panel, iCal feed), and the solidarity draft."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import icalendar
import pytest

from crm import mail
from crm.anniversaries import feeds
from crm.anniversaries.models import AnniversaryFeed
from crm.anniversaries.services import (
    add_months,
    anniversaries_between,
    anniversary_on,
    draft_text,
    find_anniversary,
    is_milestone,
    ordinal,
    upcoming,
)
from crm.contacts.models import Contact
from crm.core import tokens
from crm.db import utcnow
from crm.mailings.models import Delivery, Mailing
from crm.mailings.services import audience, unsubscribe
from tests.search_integration.network import incident, link

TODAY = dt.date.today()  # as the network fixture (conftest.py) reckons


# --- the computation (no database) ---------------------------------------------------------------------

def _inc(n, occurred_on, city="Aville"):
    return SimpleNamespace(id=n, occurred_on=occurred_on, city=SimpleNamespace(name=city))


@pytest.mark.parametrize(("years", "milestone"), [(1, True), (2, False), (4, False), (5, True), (10, True),
                                                  (11, False), (15, True), (20, True), (25, True), (0, False)])
def test_milestones_are_the_first_and_every_fifth_year(years, milestone):
    assert is_milestone(years) is milestone


def test_ordinals():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th"]


def test_29_february_is_remembered_on_the_28th_in_common_years():
    leap = dt.date(2016, 2, 29)
    assert anniversary_on(leap, 2017) == dt.date(2017, 2, 28)
    assert anniversary_on(leap, 2020) == dt.date(2020, 2, 29)
    found = anniversaries_between([_inc(1, leap)], dt.date(2017, 1, 1), dt.date(2021, 1, 1))
    assert [(a.on, a.years, a.milestone) for a in found] == [
        (dt.date(2017, 2, 28), 1, True), (dt.date(2018, 2, 28), 2, False), (dt.date(2019, 2, 28), 3, False),
        (dt.date(2020, 2, 29), 4, False)]


def test_window_includes_its_start_excludes_its_end_and_lists_every_year():
    incidents = [_inc(1, dt.date(2011, 7, 22), "Oslo"), _inc(2, dt.date(2019, 3, 15), "Christchurch"),
                 _inc(3, dt.date(2016, 3, 15), "Brussels"), _inc(4, None), _inc(5, dt.date(2025, 3, 20), "New")]
    found = anniversaries_between(incidents, dt.date(2026, 3, 15), dt.date(2026, 7, 22))
    # same day: by city name; the incident of July 22 falls on the (excluded) end; no date, no anniversary
    assert [(a.incident.id, a.on, a.years, a.milestone) for a in found] == [
        (3, dt.date(2026, 3, 15), 10, True), (2, dt.date(2026, 3, 15), 7, False),
        (5, dt.date(2026, 3, 20), 1, True)]
    assert [a.label for a in found] == ["10th anniversary", "7th anniversary", "1st anniversary"]
    # a window of several years lists each year
    assert [a.years for a in anniversaries_between(incidents[:1], dt.date(2020, 1, 1), dt.date(2023, 1, 1))] == [
        9, 10, 11]
    # the day of the attack itself is no anniversary
    assert anniversaries_between([_inc(9, dt.date(2026, 5, 1))], dt.date(2026, 1, 1), dt.date(2027, 1, 1)) == []


def test_months_are_added_without_overflow():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2026, 12, 1), 12) == dt.date(2027, 12, 1)


# --- a small network -----------------------------------------------------------------------------------

def test_visibility_follows_the_incidents(app, net, make_user):
    from crm.accounts.models import AnonymousUser

    visitor = AnonymousUser()
    member = make_user("member")
    staff = make_user("staff")
    titles = {role: [a.incident.title for a in upcoming(user)]
              for role, user in (("visitor", visitor), ("member", member), ("staff", staff))}
    assert titles["visitor"] == ["Quokkapublic market attack"]
    assert titles["member"] == titles["staff"] == [net.rows["tenth"].title, "Quokkapublic market attack",
                                                   "Arson at the community centre"]
    assert [a.years for a in upcoming(staff)] == [10, 3, 5]
    assert [a.incident.title for a in upcoming(staff, milestones_only=True)] == [
        net.rows["tenth"].title, "Arson at the community centre"]
    assert [a.incident.title for a in upcoming(staff, region="western_europe")] == ["Quokkapublic market attack"]
    assert [a.years for a in upcoming(staff, days=60)] == [10, 3]


def test_the_calendar_page_for_staff(app, net, login_as):
    staff = login_as("staff")
    html = staff.get("/anniversaries/").get_data(as_text=True)
    assert "Wombatnetwork shooting" in html and "10th anniversary" in html and "Milestone" in html
    assert "Kari Nordvik" in html and "kari@oslo.example.org" in html  # the focal point
    assert "Planning the memorial with families" in html  # a published lesson on commemoration
    assert "Wombatdraft" not in html  # a draft lesson is no lesson to point peers to
    assert f"/lessons/?city={net.oslo.id}&amp;theme=memorials_anniversaries" in html
    assert f"/lessons/?city={net.oslo.id}&amp;phase=long_term" in html
    assert "Wombatgone" not in html and "Threats campaign" not in html  # withdrawn city; no date
    rows = re.findall(r'<tr id="anniversary-(\d+)-(\d+)"', html)
    assert rows == [(str(net.rows[k].id), y) for k, y in (("tenth", "10"), ("third", "3"), ("fifth", "5"))]
    html = staff.get("/anniversaries/?milestones=1&region=northern_europe").get_data(as_text=True)
    assert re.findall(r'<tr id="anniversary-(\d+)-', html) == [str(net.rows["tenth"].id), str(net.rows["fifth"].id)]
    # Bergen (same region) is suggested and pre-checked for Oslo's anniversary; Oslo itself is no peer
    row = html.split(f'id="anniversary-{net.rows["tenth"].id}-10"')[1].split("</tr>")[0]
    assert re.search(rf'name="peers" value="{net.bergen.id}" checked', row)
    assert re.search(rf'name="peers" value="{net.lyon.id}" >', row)  # listed, not suggested
    assert f'name="peers" value="{net.oslo.id}"' not in row
    assert f'name="peers" value="{net.gone.id}"' not in row  # a withdrawn city is no peer


def test_members_and_visitors_get_no_calendar(app, net, login_as, client):
    member = login_as("member")
    link(member.user, net.oslo)
    assert member.get("/anniversaries/").status_code == 403
    assert member.post("/anniversaries/feed-link", data={"action": "rotate"}).status_code == 403
    assert member.post("/anniversaries/draft", data={"incident": net.rows["tenth"].id, "years": 10,
                                                     "peers": [net.bergen.id]}).status_code == 403
    response = client.get("/anniversaries/")
    assert response.status_code == 302 and "/account/login" in response.location
    assert Mailing.select().count() == 0


def test_the_dashboard_panel_shows_the_next_60_days(app, net, login_as):
    html = login_as("staff").get("/dashboard").get_data(as_text=True)
    panel = html.split("Anniversaries, next 60 days")[1].split("</article>")[0]
    assert "Oslo" in panel and "10th anniversary" in panel and "Milestone" in panel
    assert "Lyon" in panel and "3rd anniversary" in panel
    assert "Bergen" not in panel  # in 90 days


# --- the solidarity draft ------------------------------------------------------------------------------

def test_draft_is_a_draft_to_the_chosen_peers_and_sends_nothing(app, net, login_as):
    staff = login_as("staff")
    unsubscribe(net.people["bergen_mayor"], None, how="staff")  # left every list: stays out
    before = mail.OutboxMail.select().count()
    response = staff.post("/anniversaries/draft", data={"incident": net.rows["tenth"].id, "years": 10,
                                                        "peers": [net.bergen.id, net.lyon.id]})
    assert response.status_code == 302
    mailing = Mailing.get()
    assert response.location.endswith(f"/mailings/{mailing.id}/edit")
    assert mailing.is_draft and mailing.queued_at is None and mailing.scheduled_at is None
    assert mailing.created_by_id == staff.user.id
    assert "10 years since Wombatnetwork shooting" in mailing.subject and mailing.subject.startswith(
        "Standing with Oslo")
    assert "Dear {{ first_name }}" in mailing.body and "families" in mailing.body
    assert "mosque; evening prayers" in mailing.body
    who = audience(mailing.mailing_list)
    assert sorted(c.email for c in who.recipients) == ["bo@bergen.example.org", "lou@lyon.example.org"]
    assert [c.email for c in who.skipped["unsubscribed"]] == []  # never put on the list: subscribe refused
    assert "kari@oslo.example.org" not in {c.email for c in who.recipients}  # the remembering city is no peer
    assert mail.OutboxMail.select().count() == before  # nothing queued
    assert Delivery.select().count() == 0
    # the editing page opens with the prefilled draft
    html = staff.get(response.location).get_data(as_text=True)
    assert "Standing with Oslo" in html
    # a second draft for the same anniversary gets a list of its own
    staff.post("/anniversaries/draft", data={"incident": net.rows["tenth"].id, "years": 10, "peers": [net.lyon.id]})
    second = Mailing.select().order_by(Mailing.id.desc()).get()
    assert second.id != mailing.id and second.mailing_list_id != mailing.mailing_list_id
    assert [c.email for c in audience(second.mailing_list).recipients] == ["lou@lyon.example.org"]
    assert mail.OutboxMail.select().count() == before


def test_draft_refusals_say_what_to_do(app, net, login_as):
    staff = login_as("staff")
    response = staff.post("/anniversaries/draft", data={"incident": net.rows["tenth"].id, "years": 10},
                          follow_redirects=True)
    assert "Choose at least one peer city" in response.get_data(as_text=True)
    Contact.update(email=None).where(Contact.city == net.lyon).execute()
    response = staff.post("/anniversaries/draft", data={"incident": net.rows["tenth"].id, "years": 10,
                                                        "peers": [net.lyon.id]}, follow_redirects=True)
    assert "No focal point or leader of Lyon has an email address" in response.get_data(as_text=True)
    response = staff.post("/anniversaries/draft", data={"incident": 999_999, "years": 10, "peers": [net.lyon.id]},
                          follow_redirects=True)
    assert "not on the calendar" in response.get_data(as_text=True)
    assert Mailing.select().count() == 0


def test_draft_text_is_safe_for_merge_fields_and_markdown(app, net):
    row = net.rows["tenth"]
    row.title = "Attack {{ name }} on *the* [square]"
    row.save()
    subject, body = draft_text(find_anniversary(SimpleNamespace(is_authenticated=True, is_secretariat=True), row.id, 1))
    assert "{{ name }}" not in body and "{{ name }}" not in subject
    assert r"\*the\* \[square\]" in body
    assert "one year since" in subject


# --- the iCal feed -------------------------------------------------------------------------------------

def _feed_token(client) -> str:
    html = client.get("/anniversaries/").get_data(as_text=True)
    url = re.search(r'id="feed-url" type="text" readonly value="([^"]+)"', html).group(1)
    return url.rsplit("/", 1)[1].removesuffix(".ics")


def test_feed_is_valid_icalendar_with_yearly_events(app, net, login_as, client):
    staff = login_as("staff")
    assert "Make my calendar link" in staff.get("/anniversaries/").get_data(as_text=True)
    staff.post("/anniversaries/feed-link", data={"action": "rotate"})
    token = _feed_token(staff)
    response = client.get(f"/anniversaries/feed/{token}.ics")  # no session: the link is the key
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    raw = response.get_data()
    lines = raw.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-1] == b""  # CRLF line ends, the last one too
    assert all(len(line) <= 75 for line in lines)  # folded at 75 octets (RFC 5545 3.1)
    unfolded = raw.replace(b"\r\n ", b"").decode()
    # commas and semicolons in text are escaped (RFC 5545 3.3.11)
    assert r"Anniversary: Wombatnetwork shooting\, at the mosque\; evening prayers (Oslo" in unfolded
    cal = icalendar.Calendar.from_ical(raw)
    events = [c for c in cal.walk("VEVENT")]
    masters = {str(e["uid"]): e for e in events if "RECURRENCE-ID" not in e}
    assert len(masters) == 3  # the three dated incidents of cities still in the network
    tenth = net.rows["tenth"]
    master = masters[f"anniversary-{tenth.id}@127.0.0.1"]
    assert master["rrule"]["FREQ"] == ["YEARLY"]
    assert master.decoded("dtstart") == anniversary_on(tenth.occurred_on, tenth.occurred_on.year + 1)
    assert master.decoded("dtend") - master.decoded("dtstart") == dt.timedelta(days=1)  # an all-day event
    named = [e for e in events if "RECURRENCE-ID" in e and str(e["uid"]) == str(master["uid"])]
    this_year = [e for e in named if e.decoded("dtstart") == TODAY + dt.timedelta(days=10)]
    assert len(this_year) == 1 and str(this_year[0]["summary"]).startswith("10th anniversary (milestone): ")
    assert "Wombatgone" not in unfolded


def test_feed_of_29_february_recurs_on_the_last_day_of_february(app, net, login_as):
    staff = login_as("staff")
    incident(net.oslo, "Leap day attack", "On a leap day.", {}, occurred_on=dt.date(2016, 2, 29))
    raw = feeds.feed_ics(staff.user, today=dt.date(2026, 1, 10))
    cal = icalendar.Calendar.from_ical(raw)
    leap = [e for e in cal.walk("VEVENT") if "Leap day" in str(e["summary"])]
    master = next(e for e in leap if "RECURRENCE-ID" not in e)
    assert master.decoded("dtstart") == dt.date(2017, 2, 28)
    assert master["rrule"]["BYMONTH"] == [2] and master["rrule"]["BYMONTHDAY"] == [-1]
    named = {e.decoded("recurrence-id"): str(e["summary"]) for e in leap if "RECURRENCE-ID" in e}
    assert named[dt.date(2026, 2, 28)].startswith("10th anniversary (milestone)")
    assert named[dt.date(2028, 2, 29)].startswith("12th anniversary: ")


def test_feed_refuses_bad_rotated_revoked_expired_and_demoted(app, net, login_as, client):
    staff = login_as("staff")
    staff.post("/anniversaries/feed-link", data={"action": "rotate"})
    first = _feed_token(staff)
    assert client.get(f"/anniversaries/feed/{first}.ics").status_code == 200
    assert AnniversaryFeed.get().last_used_at is not None
    # altered, cut short, signed for another purpose
    assert client.get(f"/anniversaries/feed/{first[:-2]}xx.ics").status_code == 404
    assert client.get("/anniversaries/feed/quokka-token.ics").status_code == 404
    other = tokens.sign({"u": staff.user.id, "k": AnniversaryFeed.get().key}, "event-feed")
    assert client.get(f"/anniversaries/feed/{other}.ics").status_code == 404
    # renewed: the old link stops, the new one works
    staff.post("/anniversaries/feed-link", data={"action": "rotate"})
    second = _feed_token(staff)
    assert second != first
    assert client.get(f"/anniversaries/feed/{first}.ics").status_code == 404
    assert client.get(f"/anniversaries/feed/{second}.ics").status_code == 200
    # expired: older than FEED_VALID_DAYS
    AnniversaryFeed.update(created_at=utcnow() - dt.timedelta(days=feeds.FEED_VALID_DAYS + 1)).execute()
    response = client.get(f"/anniversaries/feed/{second}.ics")
    assert response.status_code == 410 and "renew it" in response.get_data(as_text=True)
    assert "Wombatnetwork" not in response.get_data(as_text=True)
    AnniversaryFeed.update(created_at=utcnow()).execute()
    assert client.get(f"/anniversaries/feed/{second}.ics").status_code == 200
    # the owner leaves the secretariat, or is deactivated: the link shows nothing
    staff.user.role = "member"
    staff.user.save()
    response = client.get(f"/anniversaries/feed/{second}.ics")
    assert response.status_code == 404 and "Wombatnetwork" not in response.get_data(as_text=True)
    staff.user.role, staff.user.active = "staff", False
    staff.user.save()
    assert client.get(f"/anniversaries/feed/{second}.ics").status_code == 404
    staff.user.active = True
    staff.user.save()
    assert client.get(f"/anniversaries/feed/{second}.ics").status_code == 200
    # revoked
    staff.post("/anniversaries/feed-link", data={"action": "revoke"})
    assert AnniversaryFeed.select().count() == 0
    assert client.get(f"/anniversaries/feed/{second}.ics").status_code == 404
    assert "Make my calendar link" in staff.get("/anniversaries/").get_data(as_text=True)


def test_a_member_cannot_make_a_feed_and_a_member_key_opens_nothing(app, net, make_user, client):
    member = make_user("member")
    with pytest.raises(feeds.FeedRefused):
        feeds.rotate(member)
    row = AnniversaryFeed.create(user=member.id, key="k" * 32)  # as if left from before a demotion
    response = client.get(f"/anniversaries/feed/{feeds.token_for(row)}.ics")
    assert response.status_code == 404
    assert "wombat" not in response.get_data(as_text=True).lower()
