"""The outbox: mail is stored with the action, sent after the commit, and retried when SMTP is down."""

import pytest
from flask import g

from crm import mail
from crm.db import database
from crm.mail import OutboxMail, queue_mail


def test_queued_mail_reaches_the_smtp_server_after_the_request(login_as, smtp):
    admin = login_as("admin")
    admin.post("/account/users/invite", data={"name": "Ada", "email": "ada@example.org", "role": "staff"})
    row = OutboxMail.get(OutboxMail.recipient == "ada@example.org")
    assert row.status == mail.SENT and row.attempts == 1 and row.sent_at is not None
    message = smtp.last_to("ada@example.org")
    assert message["From"] == "Strong Cities CRM <noreply@example.org>"
    assert "Ada" in smtp.text(message) and "<a href=" in smtp.html(message)


def test_a_rolled_back_action_sends_nothing(app, smtp):
    with app.test_request_context():
        with pytest.raises(RuntimeError), database.atomic():
            queue_mail("ghost@example.org", "Never", "reset_password", user=None, link="x", hours=1)
            raise RuntimeError("the action failed")
        assert mail.deliver_pending() == 0
    assert OutboxMail.select().count() == 0
    assert smtp.messages == []


def test_attachments_arrive(app, smtp):
    with app.test_request_context():
        queue_mail("cal@example.org", "Your event", "reset_password", user=None, link="x", hours=1,
                   attachments=[("event.ics", "text/calendar", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")])
        assert mail.deliver_pending() == 1
    message = smtp.last_to("cal@example.org")
    parts = [p for p in message.iter_attachments() if p.get_filename() == "event.ics"]
    assert parts and "BEGIN:VCALENDAR" in parts[0].get_content()


def test_smtp_down_keeps_the_mail_queued_and_the_retry_delivers_it(app, login_as, smtp):
    admin = login_as("admin")
    smtp.stop()
    response = admin.post("/account/users/invite", data={"name": "Bo", "email": "bo@example.org", "role": "staff"})
    assert response.status_code == 302  # the action succeeded
    row = OutboxMail.get(OutboxMail.recipient == "bo@example.org")
    assert row.status == mail.QUEUED and row.attempts == 1 and row.last_error
    # Staff see the failure in the outbox.
    page = admin.get("/outbox/?status=retrying").get_data(as_text=True)
    assert "bo@example.org" in page and "ConnectionRefusedError" in page
    # Not due yet: the backoff holds it back.
    assert mail.send_queued() == (0, 0)
    smtp.start()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["mail", "send-queued", "--force"])
    assert result.exit_code == 0, result.output
    assert "Sent 1 mail(s)" in result.output
    assert smtp.last_to("bo@example.org")["Subject"].startswith("You are invited")
    row = OutboxMail.get_by_id(row.id)
    assert row.status == mail.SENT and row.attempts == 2 and row.last_error == ""


def test_mail_is_given_up_after_the_maximum_attempts(app, smtp):
    app.config["MAIL_MAX_ATTEMPTS"] = 2
    smtp.stop()
    with app.test_request_context():
        queue_mail("late@example.org", "Hi", "reset_password", user=None, link="x", hours=1)
        mail.deliver_pending()
    assert mail.send_queued(force=True) == (0, 1)
    row = OutboxMail.get(OutboxMail.recipient == "late@example.org")
    assert row.status == mail.FAILED and row.attempts == 2
    assert mail.send_queued(force=True) == (0, 0)  # given up: not retried by the command


def test_staff_can_retry_a_given_up_mail_from_the_outbox(app, login_as, smtp):
    staff = login_as("staff")
    row = OutboxMail.create(recipient="again@example.org", subject="Retry me", text_body="Body",
                            status=mail.FAILED, attempts=8, last_error="SMTP down")
    detail = staff.get(f"/outbox/{row.id}").get_data(as_text=True)
    assert "SMTP down" in detail and "Given up" in detail
    staff.post(f"/outbox/{row.id}/retry")
    assert OutboxMail.get_by_id(row.id).status == mail.SENT
    assert smtp.last_to("again@example.org")["Subject"] == "Retry me"


def test_backoff_grows_and_is_capped():
    assert [mail._backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert mail._backoff(30).total_seconds() == 6 * 3600


def test_nothing_pending_outside_a_request(app):
    with app.test_request_context():
        assert g.get("outbox_pending") is None
        assert mail.deliver_pending() == 0
