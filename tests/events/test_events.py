"""Events: create, edit, publish, cancel (with mail), agenda, visibility, time zones."""

from __future__ import annotations

import datetime as dt

from crm.audit.models import AuditEntry
from crm.events import services
from crm.events.models import Event, Session


def _form(**overrides):
    data = {"title": "Two-day workshop: Oslo", "kind": "workshop", "description": "Intro **bold** <script>x()</script>",
            "host_city": "", "venue": "Oslo City Hall", "address": "Rådhusplassen 1", "online_url": "",
            "timezone": "Europe/Oslo", "starts_local": "2031-06-10T09:00", "ends_local": "2031-06-11T17:00",
            "capacity": "80", "waiting_list": "y", "registration_opens_local": "", "registration_closes_local": "",
            "audience_sectors": ["city_government", "law_enforcement"], "visibility": "members",
            "offer_hours": "48", "reminder_days": "3", "invitation_reminder_days": "7"}
    data.update(overrides)
    return data


def test_staff_create_event_stores_utc_and_shows_local_time(login_as):
    staff = login_as("staff")
    response = staff.post("/events/new", data=_form())
    assert response.status_code == 302
    event = Event.get()
    # 09:00 in Oslo in June (CEST, UTC+2) is 07:00 UTC.
    assert event.starts_at == dt.datetime(2031, 6, 10, 7, 0)
    assert event.ends_at == dt.datetime(2031, 6, 11, 15, 0)
    assert event.status == "draft" and event.capacity == 80
    assert event.audience_sectors == ["city_government", "law_enforcement"]
    page = staff.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Tue 10 Jun 2031, 09:00 CEST" in page
    assert "<strong>bold</strong>" in page and "<script>x()" not in page
    assert AuditEntry.select().where(AuditEntry.action == "event.create").count() == 1


def test_bad_event_form_rerenders_with_messages(login_as):
    staff = login_as("staff")
    response = staff.post("/events/new", data=_form(title="", ends_local="2031-06-09T09:00", capacity="0"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Give the event a title." in html
    assert "The end must be after the start." in html
    assert "at least 1" in html
    assert 'value="Oslo City Hall"' in html  # what was typed is kept
    assert Event.select().count() == 0


def test_edit_event_keeps_local_times_in_form(login_as, make_event):
    staff = login_as("staff")
    event = make_event(status="draft")
    html = staff.get(f"/events/{event.id}/edit").get_data(as_text=True)
    local = services.to_local(event.starts_at, "Europe/Oslo").strftime("%Y-%m-%dT%H:%M")
    assert local in html
    response = staff.post(f"/events/{event.id}/edit", data=_form(title="Renamed", timezone="America/New_York",
                                                                  starts_local="2031-01-10T09:00",
                                                                  ends_local="2031-01-10T17:00"))
    assert response.status_code == 302
    event = Event.get_by_id(event.id)
    assert event.title == "Renamed" and event.starts_at == dt.datetime(2031, 1, 10, 14, 0)  # EST is UTC-5
    entry = AuditEntry.get(AuditEntry.action == "event.update")
    assert entry.changes["title"] == ["Workshop on responding to hate", "Renamed"]


def test_publish_and_visibility(login_as, client, make_event):
    staff = login_as("staff")
    member = login_as("member")
    event = make_event(status="draft", visibility="public")
    assert member.get(f"/events/{event.id}").status_code == 404
    assert client.get(f"/events/{event.id}").status_code == 404
    assert event.title not in member.get("/events/").get_data(as_text=True)
    assert staff.post(f"/events/{event.id}/publish").status_code == 302
    assert Event.get_by_id(event.id).status == "published"
    assert event.title in client.get(f"/events/{event.id}").get_data(as_text=True)
    assert event.title in client.get("/events/").get_data(as_text=True)
    # members-only: anonymous visitors are sent to sign in, members see it
    members = make_event(title="Members meeting", visibility="members")
    response = client.get(f"/events/{members.id}")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    assert "Members meeting" not in client.get("/events/").get_data(as_text=True)
    assert "Members meeting" in member.get(f"/events/{members.id}").get_data(as_text=True)
    # publishing twice is refused with a message
    staff.post(f"/events/{event.id}/publish")
    assert "Only a draft can be published" in staff.get(f"/events/{event.id}").get_data(as_text=True)


def test_cancel_event_mails_everyone_registered(login_as, make_event, make_contact, smtp):
    staff = login_as("staff")
    event = make_event(capacity=1)
    a, b = make_contact(name="Ana"), make_contact(name="Ben")
    services.register(event, contact=a)
    services.register(event, contact=b)  # waiting
    smtp.messages.clear()
    assert staff.post(f"/events/{event.id}/cancel", data={"reason": ""}).status_code == 200  # reason required
    response = staff.post(f"/events/{event.id}/cancel", data={"reason": "The venue flooded."})
    assert response.status_code == 302
    assert Event.get_by_id(event.id).status == "cancelled"
    for person in (a, b):
        message = smtp.last_to(person.email)
        assert message["Subject"] == f"Cancelled: {event.title}"
        assert "The venue flooded." in smtp.text(message)
        ics = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
        assert ics and "STATUS:CANCELLED" in str(ics[0].get_content())
    page = staff.get(f"/events/{event.id}").get_data(as_text=True)
    assert "This event has been cancelled." in page
    assert AuditEntry.get(AuditEntry.action == "event.cancel").changes["status"] == ["published", "cancelled"]


def test_agenda_day_by_day_with_speakers_and_site_visit(login_as, make_event, make_contact):
    staff = login_as("staff")
    event = make_event(hours=40)  # two days
    speaker = make_contact(name="Dr Kari Nordmann", organisation="University of Oslo")
    day1 = services.to_local(event.starts_at, "Europe/Oslo").date()
    day2 = day1 + dt.timedelta(days=1)
    r = staff.post(f"/events/{event.id}/agenda", data={
        "day": day1.isoformat(), "start": "10:00", "end": "11:00", "title": "Opening: lessons of 22 July",
        "kind": "keynote", "place": "Main hall", "speakers": [str(speaker.id)], "description": ""})
    assert r.status_code == 302, r.get_data(as_text=True)
    staff.post(f"/events/{event.id}/agenda", data={
        "day": day2.isoformat(), "start": "09:00", "end": "12:00", "title": "Visit to the memorial and learning centre",
        "kind": "site_visit", "place": "22 July Centre", "description": ""})
    bad = staff.post(f"/events/{event.id}/agenda", data={
        "day": day1.isoformat(), "start": "12:00", "end": "11:00", "title": "Backwards", "kind": "session"})
    assert bad.status_code == 400 and "The end must be after the start." in bad.get_data(as_text=True)
    assert Session.select().count() == 2
    days = services.agenda_days(event)
    assert [d for d, _ in days] == [day1, day2]
    assert days[0][1][0]["speakers"][0].name == "Dr Kari Nordmann"
    assert days[0][1][0]["start"].strftime("%H:%M") == "10:00"
    html = staff.get(f"/events/{event.id}").get_data(as_text=True)
    assert day1.strftime("%A %d %B %Y") in html and day2.strftime("%A %d %B %Y") in html
    assert "session-site_visit" in html and "Dr Kari Nordmann (University of Oslo)" in html
    assert html.index("Opening: lessons of 22 July") < html.index("Visit to the memorial")


def test_member_cannot_manage_events(login_as, make_event):
    member = login_as("member")
    event = make_event()
    for url in (f"/events/{event.id}/edit", f"/events/{event.id}/participants", f"/events/{event.id}/check-in",
                f"/events/{event.id}/report", f"/events/{event.id}/participants.csv", "/events/new"):
        assert member.get(url).status_code == 403, url
    assert member.post(f"/events/{event.id}/publish").status_code == 403


def test_changing_time_or_place_mails_participants_with_new_ics(login_as, make_event, make_contact, smtp):
    staff = login_as("staff")
    event = make_event()
    person = make_contact(email="moved@example.org")
    reg, _ = services.register(event, contact=person)
    Registration = type(reg)
    Registration.update(reminder_sent_at=event.starts_at).where(Registration.id == reg.id).execute()
    response = staff.post(f"/events/{event.id}/edit", data=_form(title=event.title, starts_local="2031-06-12T10:00",
                                                                  ends_local="2031-06-12T16:00", capacity="10"))
    assert response.status_code == 302
    message = smtp.last_to("moved@example.org")
    assert message["Subject"] == f"Changed: {event.title}"
    assert "Thu 12 Jun 2031, 10:00 CEST" in smtp.text(message)
    assert [p.get_content_type() for p in message.iter_attachments()] == ["text/calendar"]
    assert Registration.get_by_id(reg.id).reminder_sent_at is None  # reminded again before the new date
    # a change of title only sends nothing
    count = len(smtp.to("moved@example.org"))
    staff.post(f"/events/{event.id}/edit", data=_form(title="New title", starts_local="2031-06-12T10:00",
                                                      ends_local="2031-06-12T16:00", capacity="10"))
    assert len(smtp.to("moved@example.org")) == count


def test_public_form_honeypot_registers_nobody(client, make_event):
    event = make_event(visibility="public")
    response = client.post(f"/events/{event.id}/join", data={"name": "Bot", "email": "bot@example.org",
                                                             "sector": "other", "city": "", "website": "http://spam"})
    assert response.status_code == 200 and "Thank you" in response.get_data(as_text=True)
    from crm.events.models import Registration

    assert Registration.select().count() == 0
