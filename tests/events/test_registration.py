"""Registration: refusals with their own messages, capacity, waiting list, offers, staff moves."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from crm.audit.models import AuditEntry
from crm.contacts.models import Contact
from crm.db import utcnow
from crm.events import services
from crm.events.models import Registration
from tests.events.conftest import flush_mail, reload


def _flash(client, event):
    return client.get(f"/events/{event.id}").get_data(as_text=True)


def test_member_registers_and_gets_confirmation_with_ics(login_as, make_event, smtp):
    member = login_as("member", email="ingrid@oslo.example.org", name="Ingrid Solberg")
    event = make_event()
    response = member.post(f"/events/{event.id}/register", data={"dietary_needs": "vegetarian", "consent_listed": "y"})
    assert response.status_code == 302
    reg = Registration.get()
    assert reg.status == "registered" and reg.dietary_needs == "vegetarian" and reg.consent_listed
    assert reg.contact.email == "ingrid@oslo.example.org" and reg.contact.name == "Ingrid Solberg"
    message = smtp.last_to("ingrid@oslo.example.org")
    assert message["Subject"] == f"You are registered: {event.title}"
    assert [p.get_filename() for p in message.iter_attachments()] == [f"event-{event.id}.ics"]
    assert "You are registered." in _flash(member, event)
    assert AuditEntry.get(AuditEntry.action == "registration.create").object_id == str(reg.id)


def test_registering_twice_shows_the_existing_registration(login_as, make_event):
    member = login_as("member")
    event = make_event()
    member.post(f"/events/{event.id}/register")
    member.post(f"/events/{event.id}/register")
    assert Registration.select().count() == 1
    assert "You already have a registration for this event: you are registered." in _flash(member, event)


def test_full_event_puts_people_on_the_waiting_list_with_positions(make_event, make_contact, login_as):
    event = make_event(capacity=2)
    for _ in range(2):
        services.register(event, contact=make_contact())
    member = login_as("member")
    member.post(f"/events/{event.id}/register")
    page = _flash(member, event)
    assert "you are on the waiting list: number 1" in page
    assert "You are on the waiting list: number 1." in page
    third, created = services.register(event, contact=make_contact())
    assert (third.status, third.waiting_position, created) == ("waiting", 2, True)


def test_full_event_without_waiting_list_refuses(make_event, make_contact, login_as):
    event = make_event(capacity=1, waiting_list=False)
    services.register(event, contact=make_contact())
    member = login_as("member")
    member.post(f"/events/{event.id}/register")
    assert "This event is full: all 1 seats are taken and it has no waiting list." in _flash(member, event)
    assert Registration.select().count() == 1


@pytest.mark.parametrize("kwargs,reason,text", [
    ({"registration_closes_at": utcnow() - dt.timedelta(hours=1)}, "closed", "Registration closed"),
    ({"registration_opens_at": utcnow() + dt.timedelta(days=1)}, "not_open", "Registration has not opened yet"),
    ({"starts_in": dt.timedelta(days=-1)}, "past", "This event has already taken place"),
    ({"visibility": "invitation"}, "invitation_only", "This event is by invitation only"),
    ({"status": "cancelled"}, "cancelled", "This event has been cancelled"),
])
def test_each_refusal_has_its_own_message(make_event, make_contact, login_as, kwargs, reason, text):
    event = make_event(**kwargs)
    with pytest.raises(services.RegistrationRefused) as refused:
        services.register(event, contact=make_contact())
    assert refused.value.reason == reason and text in str(refused.value)
    member = login_as("member")
    member.post(f"/events/{event.id}/register")
    assert text in _flash(member, event)
    assert Registration.select().count() == 0


def test_public_form_registers_anonymous_visitor(client, make_event, make_city, smtp):
    oslo = make_city()
    event = make_event(visibility="public")
    data = {"name": "Sara Haugen", "email": " Sara@Example.org ", "organisation": "Oslo Police District",
            "sector": "law_enforcement", "city": str(oslo.id), "accessibility_needs": "wheelchair",
            "consent_listed": "y"}
    response = client.post(f"/events/{event.id}/join", data=data)
    assert response.status_code == 200
    assert "You are registered." in response.get_data(as_text=True)
    reg = Registration.get()
    assert reg.contact.email == "sara@example.org" and reg.contact.city_id == oslo.id
    assert reg.sector == "law_enforcement" and reg.accessibility_needs == "wheelchair" and reg.source == "public"
    # twice: the existing registration is shown and its link mailed again, no duplicate
    again = client.post(f"/events/{event.id}/join", data=data).get_data(as_text=True)
    assert "already has a registration for this event: you are registered." in again
    assert Registration.select().count() == 1 and Contact.select().count() == 1
    assert len(smtp.to("sara@example.org")) == 2
    # bad input re-renders with messages
    bad = client.post(f"/events/{event.id}/join", data={**data, "email": "not-an-email", "name": ""})
    assert bad.status_code == 400
    assert "Enter a valid email address" in bad.get_data(as_text=True) and "Enter your name." in bad.get_data(as_text=True)


def test_public_form_only_for_public_events(client, make_event):
    event = make_event(visibility="members")
    assert client.get(f"/events/{event.id}/join").status_code in (302, 404)
    closed = make_event(visibility="public", registration_closes_at=utcnow() - dt.timedelta(days=1))
    html = client.get(f"/events/{closed.id}/join").get_data(as_text=True)
    assert "Registration closed" in html and "<form method=\"post\"" not in html


def _manage_link(smtp, address):
    return [link for link in smtp.links(smtp.last_to(address)) if "/events/registration/" in link][0]


def test_cancel_offers_seat_to_first_waiting_who_confirms_by_link(app, make_event, make_contact, login_as, smtp, client):
    event = make_event(capacity=1)
    member = login_as("member", email="first@example.org")
    member.post(f"/events/{event.id}/register")
    w1, w2 = make_contact(email="w1@example.org"), make_contact(email="w2@example.org")
    services.register(event, contact=w1)
    services.register(event, contact=w2)
    member.post(f"/events/{event.id}/unregister")
    assert Registration.get(Registration.contact == w1).status == "offered"
    w2reg = Registration.get(Registration.contact == w2)
    assert (w2reg.status, w2reg.waiting_position) == ("waiting", 1)
    offer = smtp.last_to("w1@example.org")
    assert offer["Subject"] == f"A seat is free for you: {event.title}"
    assert "Confirm it before" in smtp.text(offer)
    link = _manage_link(smtp, "w1@example.org").replace(app.config["BASE_URL"], "")
    page = client.get(link).get_data(as_text=True)
    assert "A seat is free for you." in page
    client.post(link, data={"action": "confirm"})
    reg = Registration.get(Registration.contact == w1)
    assert reg.status == "registered"
    assert smtp.last_to("w1@example.org")["Subject"] == f"You are registered: {event.title}"
    assert "You are registered." in client.get(link).get_data(as_text=True)
    actions = [e.action for e in AuditEntry.select().order_by(AuditEntry.id)]
    assert "registration.cancel" in actions and "registration.offer" in actions and "registration.confirm_offer" in actions


def test_unanswered_offer_passes_to_next(make_event, make_contact, smtp):
    event = make_event(capacity=1, offer_hours=48)
    holder = make_contact()
    w1, w2 = make_contact(email="late@example.org"), make_contact(email="next@example.org")
    reg, _ = services.register(event, contact=holder)
    services.register(event, contact=w1)
    services.register(event, contact=w2)
    services.cancel_registration(reg)
    offered = Registration.get(Registration.contact == w1)
    assert offered.status == "offered"
    assert abs((offered.offer_expires_at - utcnow()) - dt.timedelta(hours=48)) < dt.timedelta(minutes=1)
    assert services.process_offers() == 0  # not yet due
    assert services.process_offers(now=utcnow() + dt.timedelta(hours=49)) == 1
    assert reload(offered).status == "expired"
    assert Registration.get(Registration.contact == w2).status == "offered"
    # confirming the expired offer is refused with a clear message
    with pytest.raises(services.EventError, match="no longer open"):
        services.confirm_offer(offered)


def _registrations(event, make_contact, count: int) -> list:
    """Register ``count`` new contacts at ``event``, one after the other; return their registrations."""
    return [services.register(event, contact=make_contact())[0] for _ in range(count)]


def test_declining_an_offer_passes_it_on(make_event, make_contact):
    event = make_event(capacity=1)
    reg, w1, w2 = _registrations(event, make_contact, 3)
    services.cancel_registration(reg)
    services.cancel_registration(reload(w1))  # "No thanks"
    assert reload(w1).status == "cancelled" and reload(w2).status == "offered"


def test_leaving_waiting_list_keeps_positions_without_gaps(make_event, make_contact):
    event = make_event(capacity=1)
    waiting = _registrations(event, make_contact, 5)[1:]
    services.cancel_registration(waiting[1])
    positions = [r.waiting_position for r in Registration.select().where(Registration.status == "waiting")
                 .order_by(Registration.waiting_position)]
    assert positions == [1, 2, 3]
    assert reload(waiting[3]).waiting_position == 3


def test_staff_raise_capacity_offers_seats_in_turn(login_as, make_event, make_contact, smtp):
    staff = login_as("staff")
    event = make_event(capacity=1)
    w = _registrations(event, make_contact, 4)[1:]
    services.update_event(event, actor=staff.user, **_values(event, capacity=3))
    assert [reload(r).status for r in w] == ["offered", "offered", "waiting"]
    assert reload(w[2]).waiting_position == 1
    flush_mail()
    assert smtp.last_to(w[0].contact.email)["Subject"].startswith("A seat is free for you")
    entry = AuditEntry.get(AuditEntry.action == "event.update")
    assert entry.changes["capacity"] == [1, 3]
    with pytest.raises(services.EventError, match="cannot go below 3"):
        services.update_event(event, actor=staff.user, **_values(reload(event), capacity=2))


def _values(event, **changes):
    values = {k: getattr(event, k) for k in services.EVENT_FIELDS}
    values.update(changes)
    return values


def test_staff_move_people_by_hand(login_as, make_event, make_contact, smtp):
    staff = login_as("staff")
    event = make_event(capacity=1)
    a, b, c = _registrations(event, make_contact, 3)
    # no seat is free: moving b to registered is refused
    staff.post(f"/events/{event.id}/participants/{b.id}/move", data={"action": "register"})
    assert "No seat is free" in staff.get(f"/events/{event.id}/participants").get_data(as_text=True)
    # c to the top of the waiting list
    staff.post(f"/events/{event.id}/participants/{c.id}/move", data={"action": "wait", "position": "1"})
    assert (reload(c).waiting_position, reload(b).waiting_position) == (1, 2)
    assert "moved you to the waiting list" in smtp.text(smtp.last_to(c.contact.email))
    # a to the waiting list frees the seat, which is offered to the first waiting (c)
    staff.post(f"/events/{event.id}/participants/{a.id}/move", data={"action": "wait"})
    assert reload(c).status == "offered" and reload(a).waiting_position == 2 and reload(b).waiting_position == 1
    # staff cancels c's offer: the seat goes to b
    staff.post(f"/events/{event.id}/participants/{c.id}/move", data={"action": "cancel"})
    assert reload(c).status == "cancelled" and reload(b).status == "offered"
    assert AuditEntry.select().where(AuditEntry.action == "registration.move").count() == 2
    html = staff.get(f"/events/{event.id}/participants").get_data(as_text=True)
    assert re.search(r"0 registered of 1 seats · 1 offered · 1 waiting", html)


def test_member_cancels_own_registration(login_as, make_event, smtp):
    member = login_as("member", email="m@example.org")
    event = make_event()
    member.post(f"/events/{event.id}/register")
    member.post(f"/events/{event.id}/unregister")
    assert Registration.get().status == "cancelled"
    assert smtp.last_to("m@example.org")["Subject"] == f"Registration cancelled: {event.title}"
    member.post(f"/events/{event.id}/register")  # can register again: same row
    assert Registration.select().count() == 1 and Registration.get().status == "registered"


def test_confirming_after_the_deadline_passes_the_seat_on_at_once(make_event, make_contact):
    event = make_event(capacity=1)
    holder, late, nxt = _registrations(event, make_contact, 3)
    services.cancel_registration(holder)
    Registration.update(offer_expires_at=utcnow() - dt.timedelta(minutes=1)).where(Registration.id == late.id).execute()
    with pytest.raises(services.EventError, match="offer expired"):
        services.confirm_offer(late)
    assert reload(late).status == "expired" and reload(nxt).status == "offered"
