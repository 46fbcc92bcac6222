"""Honest mail status: inviting says how many mails are queued and delivered, and the invitations page shows
each invitation's delivery, read from the outbox (a real SMTP server, or none listening)."""

from __future__ import annotations

import re
import socket

from crm.mail import OutboxMail


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _invite(staff, event, contacts):
    return staff.post(f"/events/{event.id}/invite", data={"contacts": [str(c.id) for c in contacts],
                                                          "message": "Join us"}, follow_redirects=True)


def test_invitations_to_an_unreachable_mail_server_are_queued_not_sent(app, login_as, make_event, make_contact):
    app.config["MAIL_PORT"] = _closed_port()  # nothing listens: every attempt fails
    staff = login_as("staff")
    event = make_event(visibility="invitation")
    people = [make_contact(name=f"Guest {n}") for n in range(3)]
    html = _invite(staff, event, people).get_data(as_text=True)
    assert "3 invitations queued, 0 delivered so far." in html
    assert "Sent 3 invitation" not in html
    page = staff.get(f"/events/{event.id}/invite").get_data(as_text=True)
    assert re.search(r"3 invited · mails: 0 delivered, 3 waiting to be sent", page)
    assert page.count("Mail queued, not delivered yet") == 3
    assert OutboxMail.select().where(OutboxMail.status == "queued").count() == 3
    assert OutboxMail.select().where(OutboxMail.last_error.contains("refused")).count() >= 1
    # Given up after the retries: the page says so.
    OutboxMail.update(status="failed").execute()
    page = staff.get(f"/events/{event.id}/invite").get_data(as_text=True)
    assert "<strong>3 given up</strong>" in page and page.count("Mail not delivered: given up") == 3


def test_delivered_invitations_are_shown_as_delivered(login_as, make_event, make_contact, smtp):
    staff = login_as("staff")
    event = make_event(visibility="invitation")
    people = [make_contact(name=f"Guest {n}") for n in range(2)]
    other = make_event(title="Another event", visibility="invitation")
    _invite(staff, other, people[:1])  # a mail for another event is not this event's
    _invite(staff, event, people)
    assert {m["To"] for m in smtp.messages} >= {p.email for p in people}
    page = staff.get(f"/events/{event.id}/invite").get_data(as_text=True)
    assert "2 invited · mails: 2 delivered, 0 waiting to be sent" in page
    assert page.count("Mail delivered to the mail server") == 2
    assert f'data-testid="delivery-{people[0].id}"' in page
