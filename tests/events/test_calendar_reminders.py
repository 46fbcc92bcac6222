"""Reminders (the cron command) and the calendar: .ics per event and a feed, parsed back."""

from __future__ import annotations

import datetime as dt

import icalendar

from crm.db import utcnow
from crm.events import services
from crm.events.models import Registration
from tests.events.conftest import flush_mail


def _run_cli(app, *args):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["events", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_send_reminders_once_only_with_ics(app, make_event, make_contact, smtp):
    soon = make_event(title="Webinar soon", starts_in=dt.timedelta(days=2), reminder_days=3, kind="webinar")
    later = make_event(title="Summit later", starts_in=dt.timedelta(days=20), reminder_days=3)
    person = make_contact(email="remind@example.org")
    services.register(soon, contact=person)
    services.register(later, contact=person)
    waiting_event = make_event(title="Full", capacity=1, starts_in=dt.timedelta(days=1))
    services.register(waiting_event, contact=make_contact())
    services.register(waiting_event, contact=person)  # waiting: no reminder
    flush_mail()
    smtp.messages.clear()
    # "Webinar soon" for this person, "Full" for the one holding its seat; not the waiting person
    assert "reminded 0 invitee(s) and 2 participant(s)" in _run_cli(app, "send-reminders")
    assert "and 0 participant(s)" in _run_cli(app, "send-reminders")
    flush_mail()  # cron's app context sends on exit; the test's context stays open
    reminders = [m for m in smtp.to("remind@example.org") if m["Subject"].startswith("Reminder:")]
    assert len(reminders) == 1 and "Webinar soon" in reminders[0]["Subject"]
    attachment = [p for p in reminders[0].iter_attachments()][0]
    assert attachment.get_content_type() == "text/calendar"
    data = attachment.get_content()
    cal = icalendar.Calendar.from_ical(data if isinstance(data, (bytes, str)) else bytes(data))
    vevent = cal.walk("VEVENT")[0]
    assert str(vevent["SUMMARY"]) == "Webinar soon"
    assert Registration.get(Registration.event == soon).reminder_sent_at is not None
    assert Registration.get(Registration.event == later).reminder_sent_at is None


def test_send_reminders_also_expires_offers(app, make_event, make_contact):
    event = make_event(capacity=1, offer_hours=1)
    reg, _ = services.register(event, contact=make_contact())
    services.register(event, contact=make_contact())
    services.cancel_registration(reg)
    offered = Registration.get(Registration.status == "offered")
    Registration.update(offer_expires_at=utcnow() - dt.timedelta(minutes=1)).where(Registration.id == offered.id).execute()
    assert "Expired 1 offer(s)" in _run_cli(app, "send-reminders")
    assert Registration.get_by_id(offered.id).status == "expired"
    assert "Expired 0 offer(s)" in _run_cli(app, "process-offers")


def test_event_ics_is_valid_and_in_utc(client, make_event):
    event = make_event(visibility="public", venue="Oslo City Hall", address="Rådhusplassen 1",
                       description="Two days of *learning*.")
    response = client.get(f"/events/{event.id}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    cal = icalendar.Calendar.from_ical(response.data)
    assert str(cal["VERSION"]) == "2.0" and "PRODID" in cal
    vevent = cal.walk("VEVENT")[0]
    assert vevent.decoded("DTSTART") == event.starts_at.replace(tzinfo=dt.UTC)
    assert vevent.decoded("DTEND") == event.ends_at.replace(tzinfo=dt.UTC)
    assert str(vevent["LOCATION"]) == "Oslo City Hall, Rådhusplassen 1"
    assert str(vevent["UID"]).startswith(f"event-{event.id}@")
    assert "DTSTAMP" in vevent and str(vevent["STATUS"]) == "CONFIRMED"
    # members-only: anonymous visitors are sent to sign in
    hidden = make_event(visibility="members")
    assert client.get(f"/events/{hidden.id}.ics").status_code == 302


def test_feeds_show_what_each_person_may_see(client, login_as, make_event, make_contact):
    staff = login_as("staff")
    make_event(title="Public webinar", visibility="public")
    members = make_event(title="Members meeting", visibility="members")
    invited_only = make_event(title="Closed exercise", visibility="invitation")
    other_closed = make_event(title="Other closed exercise", visibility="invitation")
    draft = make_event(title="Draft idea", visibility="public", status="draft")

    def summaries(data):
        return sorted(str(v["SUMMARY"]) for v in icalendar.Calendar.from_ical(data).walk("VEVENT"))

    assert summaries(client.get("/events/feed.ics").data) == ["Public webinar"]
    member = login_as("member", email="feed@example.org")
    contact = services.contact_for_user(member.user, create=True)
    services.send_invitations(invited_only, [contact], actor=staff.user)
    page = member.get("/events/").get_data(as_text=True)
    feed_url = [part for part in page.split('"') if "/events/feed/" in part][0]
    path = feed_url.split("127.0.0.1:5000")[-1]
    # the personal feed works without a session (calendar apps have none)
    assert summaries(client.get(path).data) == ["Closed exercise", "Members meeting", "Public webinar"]
    assert client.get("/events/feed/not-a-token.ics").status_code == 404
    assert members.id and other_closed.id and draft.id
