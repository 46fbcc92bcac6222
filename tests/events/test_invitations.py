"""Invitations: filters, consent, signed links to answer, reminders of unanswered invitations."""

from __future__ import annotations

import datetime as dt

from crm.audit.models import AuditEntry
from crm.db import utcnow
from crm.events import invitations, services
from crm.events.models import Invitation, Registration
from tests.events.conftest import flush_mail, reload


def test_filters_by_sector_region_country_city_tag_and_attendance(make_event, make_contact, make_city):
    oslo, paris = make_city("Oslo", "NO", "northern_europe"), make_city("Paris", "FR", "western_europe")
    make_contact(name="A Police", sector="law_enforcement", city=oslo, tags=["focal point"])
    b = make_contact(name="B Mayor", sector="city_government", city=paris)
    c = make_contact(name="C Academic", sector="academia", city=paris, tags=["Expert"])
    past = make_event(starts_in=dt.timedelta(days=-30))
    reg = Registration.create(event=past, contact=b, status="registered", checked_in_at=utcnow())
    assert reg.attended

    def names(**kw):
        return [x.name for x in services.filter_contacts(**kw)]

    assert names(sector="law_enforcement") == ["A Police"]
    assert names(region="western_europe") == ["B Mayor", "C Academic"]
    assert names(country="no") == ["A Police"]
    assert names(city_id=paris.id) == ["B Mayor", "C Academic"]
    assert names(tag="expert") == ["C Academic"]
    assert names(attendance="any") == ["B Mayor"]
    assert names(attendance="none") == ["A Police", "C Academic"]
    assert names(attendance=str(past.id)) == ["B Mayor"]
    assert c.id  # used


def test_staff_invite_respects_consent_and_links_answer(app, login_as, make_event, make_contact, smtp, client):
    staff = login_as("staff")
    event = make_event(visibility="invitation")
    ok = make_contact(name="Ola", email="ola@example.org")
    dnc = make_contact(name="Dina", do_not_contact=True)
    no_events = make_contact(name="Nils", accepts_event_invitations=False)
    no_mail = make_contact(name="Nomail", email=None)
    page = staff.get(f"/events/{event.id}/invite").get_data(as_text=True)
    assert "Cannot invite: asked not to be contacted" in page and "Cannot invite: no email address" in page
    response = staff.post(f"/events/{event.id}/invite",
                          data={"contacts": [str(x.id) for x in (ok, dnc, no_events, no_mail)],
                                "message": "We would value your experience."})
    assert response.status_code == 302
    assert [i.contact_id for i in Invitation.select()] == [ok.id]
    assert not smtp.to(dnc.email) and not smtp.to(no_events.email)
    mail = smtp.last_to("ola@example.org")
    assert mail["Subject"] == f"Invitation: {event.title}"
    assert "We would value your experience." in smtp.text(mail)
    link = [x for x in smtp.links(mail) if "/events/invitation/" in x][0].replace(app.config["BASE_URL"], "")
    audit = AuditEntry.get(AuditEntry.action == "event.invite")
    assert audit.changes["invited"] == [ok.id] and sorted(audit.changes["skipped"]) == sorted(
        [dnc.id, no_events.id, no_mail.id])
    # a tampered link is refused
    assert client.get(link[:-3] + "xyz").status_code == 404
    # the invitee accepts through the link: registered for the invitation-only event
    assert "Accept and register" in client.get(link).get_data(as_text=True)
    response = client.post(link, data={"answer": "accept", "dietary_needs": "halal"})
    assert response.status_code == 302 and "/events/registration/" in response.headers["Location"]
    reg = Registration.get()
    assert (reg.contact_id, reg.status, reg.source, reg.dietary_needs) == (ok.id, "registered", "invitation", "halal")
    assert reload(Invitation.get()).status == "accepted"
    assert "You have accepted: registered" in client.get(link).get_data(as_text=True)


def test_invitee_declines(make_event, make_contact, client, app, login_as, smtp):
    staff = login_as("staff")
    event = make_event()
    person = make_contact(email="dec@example.org")
    services.send_invitations(event, [person], actor=staff.user)
    token = services.make_token(Invitation.get(), services.INVITATION_SALT)
    client.post(f"/events/invitation/{token}", data={"answer": "decline"})
    inv = Invitation.get()
    assert inv.status == "declined" and inv.answered_at is not None
    assert Registration.select().count() == 0
    assert "You have declined this invitation" in client.get(f"/events/invitation/{token}").get_data(as_text=True)


def test_invitation_only_event_needs_an_invitation(make_event, make_contact, login_as):
    staff = login_as("staff")
    event = make_event(visibility="invitation")
    member = login_as("member", email="inv@example.org")
    member.post(f"/events/{event.id}/register")
    assert "by invitation only" in member.get(f"/events/{event.id}").get_data(as_text=True)
    contact = services.contact_for_user(member.user, create=True)
    services.send_invitations(event, [contact], actor=staff.user)
    member.post(f"/events/{event.id}/register")
    assert Registration.get().status == "registered"


def test_unanswered_invitations_are_reminded_once_per_interval(make_event, make_contact, login_as, smtp):
    staff = login_as("staff")
    event = make_event(invitation_reminder_days=7, starts_in=dt.timedelta(days=30))
    quiet, answered = make_contact(email="quiet@example.org"), make_contact(email="answered@example.org")
    services.send_invitations(event, [quiet, answered], actor=staff.user)
    services.register(event, contact=answered)
    now = utcnow()
    assert services.send_invitation_reminders(now + dt.timedelta(days=1)) == 0  # too early
    assert services.send_invitation_reminders(now + dt.timedelta(days=8)) == 1
    assert services.send_invitation_reminders(now + dt.timedelta(days=8)) == 0  # once per interval
    assert services.send_invitation_reminders(now + dt.timedelta(days=9)) == 0
    assert services.send_invitation_reminders(now + dt.timedelta(days=16)) == 1  # the next interval
    flush_mail()
    reminders = [m for m in smtp.to("quiet@example.org") if m["Subject"].startswith("Reminder: you are invited")]
    assert len(reminders) == 2
    assert not [m for m in smtp.to("answered@example.org") if m["Subject"].startswith("Reminder")]
    # a contact who opts out after the invitation gets no more reminders
    quiet.do_not_contact = True
    quiet.save()
    assert services.send_invitation_reminders(now + dt.timedelta(days=24)) == 0


def test_invitation_only_events_are_listed_only_for_the_invited(make_event, make_contact, login_as):
    staff = login_as("staff")
    event = make_event(title="Closed table-top exercise", visibility="invitation")
    outsider = login_as("member", email="outsider@example.org")
    insider = login_as("member", email="insider@example.org")
    services.send_invitations(event, [services.contact_for_user(insider.user, create=True)], actor=staff.user)
    assert "Closed table-top exercise" not in outsider.get("/events/").get_data(as_text=True)
    assert "Closed table-top exercise" in insider.get("/events/").get_data(as_text=True)
    assert "Closed table-top exercise" in staff.get("/events/").get_data(as_text=True)
    # by its link, the outsider reads why they cannot register
    assert "by invitation only" in outsider.get(f"/events/{event.id}").get_data(as_text=True)


def test_inviting_more_than_a_few_asks_first_with_a_preview_and_the_count(app, login_as, make_event, make_contact,
                                                                        smtp):
    from crm.mail import OutboxMail

    staff = login_as("staff")
    event = make_event()
    people = [make_contact(name=f"Person {n}", email=f"p{n}@example.org", sector="city_government")
              for n in range(7)]
    refused = make_contact(name="Dina", do_not_contact=True)
    data = {"contacts": [str(c.id) for c in [*people, refused]], "message": "Your city's experience matters."}
    first = staff.post(f"/events/{event.id}/invite", data=data)
    html = first.get_data(as_text=True)
    assert first.status_code == 200 and "Send 7 invitations?" in html and "Nothing has been sent yet" in html
    assert "1 of those chosen will not get one" in html
    preview = html.split('data-testid="invitation-preview">', 1)[1].split("</pre>", 1)[0]
    assert "Dear Person 0" in preview and "Your city&#39;s experience matters." in preview
    assert "[their personal link to accept or decline]" in preview and "/events/invitation/" not in preview
    assert Invitation.select().count() == 0 and OutboxMail.select().count() == 0  # nothing stored, nothing queued
    confirmed = staff.post(f"/events/{event.id}/invite", data={**data, "confirmed": "yes"})
    assert confirmed.status_code == 302
    assert sorted(i.contact_id for i in Invitation.select()) == sorted(c.id for c in people)
    # A few people (five or fewer) go at once, as before.
    few = [make_contact(name=f"Few {n}", email=f"f{n}@example.org") for n in range(3)]
    assert staff.post(f"/events/{event.id}/invite", data={"contacts": [str(c.id) for c in few]}).status_code == 302
    assert Invitation.select().count() == 10


def test_the_pipeline_shows_where_invitations_stand(login_as, make_event, make_contact):
    staff = login_as("staff")
    event = make_event()
    a, b, c, d = (make_contact(name=n, email=f"{n.lower()}@example.org", sector="city_government")
                  for n in ("Ann", "Bo", "Cy", "Di"))
    participants = staff.get(f"/events/{event.id}/participants").get_data(as_text=True)
    assert "Nobody yet." in participants and "invitation-pipeline" not in participants
    for contact in (a, b, c, d):
        Invitation.create(event=event, contact=contact)
    Invitation.update(status="declined").where(Invitation.contact == b).execute()
    Invitation.update(status="accepted").where(Invitation.contact.in_([c.id, d.id])).execute()
    Registration.create(event=event, contact=c, status="registered")
    Registration.create(event=event, contact=d, status="waiting", waiting_position=1)
    assert invitations.pipeline(event) == {"invited": 4, "accepted": 2, "registered": 1, "waiting": 1,
                                                    "declined": 1, "no_answer": 1}
    page = " ".join(staff.get(f"/events/{event.id}/invite").get_data(as_text=True).split())
    assert "<strong>4</strong> invited" in page and "<strong>1</strong> no answer yet" in page
    assert "(1 registered, 1 waiting)" in page
    assert "City government" in page and ">city_government<" not in page  # sector labels, not codes
    Registration.delete().execute()
    Invitation.update(status="pending").execute()
    participants = staff.get(f"/events/{event.id}/participants").get_data(as_text=True)
    assert "Nobody has registered yet: 4 invitations out, 4 not answered yet." in participants
    assert 'data-testid="invitation-pipeline"' in participants
