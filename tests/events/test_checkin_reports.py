"""Check-in, printable list and badges, reports and CSV, dashboard panel, histories."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from crm.audit.models import AuditEntry
from crm.db import utcnow
from crm.events import services
from crm.events.models import Registration
from tests.events.conftest import reload


@pytest.fixture
def workshop(make_event, make_contact, make_city):
    oslo, paris = make_city("Oslo", "NO", "northern_europe"), make_city("Paris", "FR", "western_europe")
    event = make_event(capacity=3)
    people = {
        "kari": make_contact(name="Kari Nordmann", sector="city_government", city=oslo, organisation="Oslo kommune"),
        "jean": make_contact(name="Jean Dupont", sector="law_enforcement", city=paris, organisation="Préfecture"),
        "ali": make_contact(name="Ali Hassan", sector="civil_society", city=paris),
        "wait": make_contact(name="Will Waiting", sector="academia", city=oslo),
    }
    regs = {k: services.register(event, contact=c, details={"consent_listed": k != "ali",
                                                            "consent_share_email": k == "kari"})[0]
            for k, c in people.items()}
    return event, regs


def _starts_in_two_hours(event):
    """Move the event to today: check-in opens the day before."""
    event.starts_at = utcnow().replace(microsecond=0) + dt.timedelta(hours=2)
    event.ends_at = event.starts_at + dt.timedelta(hours=8)
    event.save()


def test_check_in_find_mark_and_undo(login_as, workshop):
    staff = login_as("staff")
    event, regs = workshop
    _starts_in_two_hours(event)
    html = staff.get(f"/events/{event.id}/check-in?q=jean").get_data(as_text=True)
    assert "Jean Dupont" in html and "Kari Nordmann" not in html
    assert 'name="viewport"' in html and "checkin-list" in html  # the phone layout
    staff.post(f"/events/{event.id}/check-in/{regs['jean'].id}", data={"present": "1", "q": "jean"})
    assert reload(regs["jean"]).checked_in_at is not None
    assert "<strong>1</strong> present of 3 registered" in staff.get(f"/events/{event.id}/check-in").get_data(as_text=True)
    staff.post(f"/events/{event.id}/check-in/{regs['jean'].id}", data={"present": "0"})
    assert reload(regs["jean"]).checked_in_at is None
    # a waiting person cannot be checked in
    staff.post(f"/events/{event.id}/check-in/{regs['wait'].id}", data={"present": "1"})
    assert reload(regs["wait"]).checked_in_at is None
    assert [e.action for e in AuditEntry.select().where(AuditEntry.action.startswith("registration.check_in"))] == [
        "registration.check_in", "registration.check_in_undo"]


def test_walk_in_added_and_checked_in_within_capacity(login_as, workshop):
    staff = login_as("staff")
    event, regs = workshop
    _starts_in_two_hours(event)
    response = staff.post(f"/events/{event.id}/walk-in", data={"name": "Walk In", "sector": "media"})
    assert response.status_code == 400 and "All 3 seats are taken" in response.get_data(as_text=True)
    assert 'value="Walk In"' in response.get_data(as_text=True)  # what was typed is kept
    services.cancel_registration(regs["ali"])  # frees a seat, offered to Will
    services.cancel_registration(reload(regs["wait"]))  # Will declines
    response = staff.post(f"/events/{event.id}/walk-in", data={"name": "Walk In", "email": "walk@example.org",
                                                                "organisation": "Local paper", "sector": "media"})
    assert response.status_code == 302
    reg = Registration.get(Registration.source == "walk_in")
    assert reg.status == "registered" and reg.checked_in_at is not None and reg.contact.email == "walk@example.org"
    bad = staff.post(f"/events/{event.id}/walk-in", data={"name": "", "email": "nope"})
    assert bad.status_code == 400 and "Enter the person&#39;s name." in bad.get_data(as_text=True)


def test_printable_list_and_badges_for_a4_and_letter(login_as, workshop):
    staff = login_as("staff")
    event, _ = workshop
    a4 = staff.get(f"/events/{event.id}/print").get_data(as_text=True)
    assert "paper-a4 list-page" in a4 and "Kari Nordmann" in a4 and "Will Waiting" not in a4 and "print.css" in a4
    letter = staff.get(f"/events/{event.id}/badges?paper=letter").get_data(as_text=True)
    assert "paper-letter badges-page" in letter and letter.count('class="badge-card"') == 3
    static = staff.get("/static/css/print.css")
    css = static.get_data(as_text=True)
    static.close()
    assert "@media print" in css and ".badge-card" in css
    # Paper size per page kind, as named pages (the CSP forbids an inline <style>).
    assert "@page list-a4 { size: A4;" in css and "@page badges-letter { size: letter;" in css
    assert ".list-page.paper-a4 { page: list-a4; }" in css and ".badges-page.paper-letter { page: badges-letter; }" in css


def test_event_report_by_sector_country_region(login_as, workshop):
    staff = login_as("staff")
    event, regs = workshop
    services.check_in(regs["kari"], actor=staff.user, override=True)
    Registration.update(checked_in_at=None).where(Registration.id == regs["jean"].id).execute()
    event.starts_at, event.ends_at = utcnow() - dt.timedelta(days=2), utcnow() - dt.timedelta(days=1)
    event.save()
    report = services.event_report(event)
    by_country = {r["label"]: r for r in report["tables"]["country"]["rows"]}
    assert by_country["France"]["registered"] == 2 and by_country["France"]["no_show"] == 2
    assert by_country["Norway"] == {"key": "NO", "label": "Norway", "registered": 1, "waiting": 1,
                                    "attended": 1, "no_show": 0}
    by_sector = {r["key"]: r for r in report["tables"]["sector"]["rows"]}
    assert by_sector["academia"]["waiting"] == 1 and by_sector["city_government"]["attended"] == 1
    assert report["tables"]["region"]["total"] == {"label": "Total", "registered": 3, "waiting": 1,
                                                   "attended": 1, "no_show": 2}
    html = staff.get(f"/events/{event.id}/report").get_data(as_text=True)
    assert "<svg" in html and "Western Europe" in html and "Law enforcement" in html


def test_csv_exports_only_what_consent_allows(login_as, workshop):
    staff = login_as("staff")
    event, regs = workshop
    response = staff.get(f"/events/{event.id}/participants.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["name"] for r in rows] == ["Jean Dupont", "Kari Nordmann"]  # Ali did not agree; Will is waiting
    by_name = {r["name"]: r for r in rows}
    assert by_name["Kari Nordmann"]["email"] == regs["kari"].contact.email
    assert by_name["Jean Dupont"]["email"] == ""  # agreed to the list, not to sharing the address
    assert by_name["Jean Dupont"]["country"] == "FR"


def test_attendance_over_time_per_city_and_sector(login_as, make_event, make_contact, make_city):
    staff = login_as("staff")
    oslo = make_city("Oslo", "NO")
    kari = make_contact(name="Kari", city=oslo, sector="city_government")
    for years_ago in (1, 2):
        event = make_event(starts_in=dt.timedelta(days=-365 * years_ago))
        Registration.create(event=event, contact=kari, status="registered", sector="city_government",
                            checked_in_at=event.starts_at)
    data = services.attendance_over_time("city")
    assert data["rows"][0]["label"] == "Oslo (NO)" and data["rows"][0]["total"] == 2 and len(data["periods"]) == 2
    assert services.attendance_over_time("sector")["rows"][0]["label"] == "City government"
    html = staff.get("/events/reports").get_data(as_text=True)
    assert "Oslo (NO)" in html and "City government" in html
    quarters = services.attendance_over_time("city", "quarter")["periods"]
    assert len(quarters) == 2 and all(" Q" in q for q in quarters)
    assert quarters[0] in staff.get("/events/reports?period=quarter").get_data(as_text=True)


def test_dashboard_panel_shows_bars_and_waiting(login_as, workshop):
    staff = login_as("staff")
    event, _ = workshop
    html = staff.get("/dashboard").get_data(as_text=True)
    assert "Upcoming events" in html and event.title in html
    assert '<progress value="3" max="3"' in html and "<strong>1 waiting</strong>" in html


def test_contact_history_and_city_participation(app, login_as, make_event, workshop):
    staff = login_as("staff")
    event, regs = workshop
    kari = regs["kari"].contact
    services.check_in(regs["kari"], actor=staff.user, override=True)
    other = make_event(title="Table-top exercise", visibility="invitation")
    services.send_invitations(other, [kari], actor=staff.user)
    history = services.contact_event_history(kari)
    assert [(h["event"].title, h["invitation"] is not None, h["registration"] is not None, h["attended"])
            for h in history] == [("Table-top exercise", True, False, False), (event.title, False, True, True)]
    participation = services.city_event_participation(kari.city, staff.user)
    assert participation[0]["event"].id == event.id
    assert [r.contact.name for r in participation[0]["people"]] == ["Kari Nordmann", "Will Waiting"]
    with app.test_request_context():
        from flask import render_template_string
        from flask_login import login_user

        login_user(staff.user)
        html = render_template_string('{% include "events/_contact_history.html" %}', contact=kari)
        assert "Table-top exercise" in html and "Not answered" in html and "Yes" in html
        html = render_template_string('{% include "events/_city_participation.html" %}', city=kari.city)
        assert "Kari Nordmann ✓" in html and "Will Waiting (waiting list)" in html


def test_contact_and_city_pages_include_event_history(login_as, workshop):
    staff = login_as("staff")
    event, regs = workshop
    kari = regs["kari"].contact
    contact_page = staff.get(f"/contacts/{kari.id}").get_data(as_text=True)
    assert 'id="event-history-heading"' in contact_page and event.title in contact_page
    city_page = staff.get(f"/cities/{kari.city_id}").get_data(as_text=True)
    assert 'id="city-events-heading"' in city_page and "Kari Nordmann" in city_page


def test_erasing_a_contact_clears_registration_details_but_keeps_figures(login_as, workshop):
    from crm.contacts.services import erase_contact, export_contact

    staff = login_as("staff")
    event, regs = workshop
    reg = regs["kari"]
    Registration.update(dietary_needs="halal", accessibility_needs="wheelchair").where(Registration.id == reg.id).execute()
    exported = export_contact(reg.contact, actor=staff.user)
    assert any(r.get("dietary_needs") == "halal" for rows in exported["linked_records"].values() for r in rows)
    erase_contact(reload(reg.contact), actor=staff.user)
    erased = reload(reg)
    assert (erased.dietary_needs, erased.accessibility_needs, erased.consent_listed) == ("", "", False)
    assert erased.status == "registered"
    assert services.event_report(event)["tables"]["sector"]["total"]["registered"] == 3
