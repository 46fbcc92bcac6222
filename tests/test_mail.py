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


# --- issue 8, finding 2: no page shows a working token to anyone but its addressee ---------------

def test_staff_never_see_a_live_reset_link_in_the_outbox(app, client, login_as, make_user, smtp):
    make_user("admin", email="admin@example.org")
    client.post("/account/forgot", data={"email": "admin@example.org"})
    received = smtp.last_to("admin@example.org")
    link = next(u for u in smtp.links(received) if "/account/reset/" in u)
    token = link.rsplit("/", 1)[1]
    row = OutboxMail.get(OutboxMail.recipient == "admin@example.org")
    assert token in row.text_body  # stored as sent, shown redacted

    staff = login_as("staff")
    listing = staff.get("/outbox/").get_data(as_text=True)
    detail = staff.get(f"/outbox/{row.id}").get_data(as_text=True)
    assert "admin@example.org" in listing and "Reset your password" in detail
    assert "/account/reset/" + mail.HIDDEN in detail
    for page in (listing, detail):
        assert token not in page and token.split(".")[-1] not in page
    # The addressee's link, from the real mail, still works.
    assert "Choose a new password" in client.get(link.replace(app.config["BASE_URL"], "")).get_data(as_text=True)
    done = client.post(link.replace(app.config["BASE_URL"], ""),
                       data={"password": "a-brand-new-password-42", "confirm": "a-brand-new-password-42"})
    assert done.status_code == 302 and "/account/login" in done.headers["Location"]


def test_any_signed_token_is_hidden_whatever_route_carries_it(app):
    token = "eyJpZCI6NDJ9.aGxQ2w.Qm9ndXNTaWduYXR1cmVfMTIzNDU2Nzg"
    with app.test_request_context():
        shown = mail.redact_links(f"Manage: http://x/events/registration/{token}\nOther: http://x/y?t={token} ok")
    assert token not in shown and shown.count(mail.HIDDEN) == 2 and shown.endswith(" ok")


# --- finding 3: header values are cleaned; a mail that fails for its own reason never blocks ---

def test_a_newline_in_an_authority_name_injects_no_header_and_blocks_no_mail(app, client, smtp):
    from tests.membership.conftest import application_form

    smtp.stop()  # everything waits in the queue, as when the bad row blocked it
    client.post("/apply", data=application_form(authority_name="Evil City\r\nBcc: spy@example.org"))
    with app.test_request_context():
        queue_mail("after@example.org", "Queued after it", "reset_password", user=None, link="x", hours=1)
        mail.deliver_pending()
    # A row stored before this fix (header not cleaned) and one whose address cannot be used.
    OutboxMail.create(recipient="old@example.org", subject="Old\nBcc: spy@example.org", text_body="Old row")
    broken = OutboxMail.create(recipient="two@example.org\nBcc: spy@example.org", subject="Broken", text_body="x")
    OutboxMail.create(recipient="last@example.org", subject="Last", text_body="Last row")
    smtp.start()

    result = app.test_cli_runner().invoke(args=["mail", "send-queued", "--force"])
    assert result.exit_code == 0, result.output
    for address in ("lena.ek@malmo.example.org", "secretariat@example.org", "after@example.org",
                    "old@example.org", "last@example.org"):
        assert len(smtp.to(address)) == 1, address
    assert smtp.to("spy@example.org") == []
    for message in smtp.messages:
        headers = message.raw.split(b"\r\n\r\n", 1)[0].lower().split(b"\r\n")
        assert message["Bcc"] is None and not [h for h in headers if h.startswith(b"bcc")]
    assert smtp.last_to("secretariat@example.org")["Subject"].endswith("Evil City Bcc: spy@example.org")
    broken = OutboxMail.get_by_id(broken.id)
    assert broken.status == mail.FAILED and "valid address" in broken.last_error
    assert OutboxMail.select().where(OutboxMail.status == mail.QUEUED).count() == 0


# --- finding 12: overlapping senders deliver each mail exactly once ------------------------------

def test_overlapping_senders_deliver_each_mail_exactly_once(app, smtp):
    import threading

    smtp.stop()
    rows = [OutboxMail.create(recipient=f"r{n:02d}@example.org", subject=f"Mail {n}", text_body="Hello")
            for n in range(30)]
    smtp.start()
    database.close()
    start = threading.Barrier(6)
    results, errors = [], []

    def sender():
        try:
            with app.app_context():
                database.connect(reuse_if_open=True)
                start.wait(10)
                results.append(mail.send_queued(force=True))
                database.close()
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=sender) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors and len(results) == 6
    assert sum(sent for sent, _ in results) == 30 and sum(failed for _, failed in results) == 0
    assert sorted(a for m in smtp.messages for a in m.envelope_to) == [r.recipient for r in rows]
    assert {r.status for r in OutboxMail.select()} == {mail.SENT}
    assert {r.attempts for r in OutboxMail.select()} == {1}


def test_a_mail_left_sending_by_a_dead_sender_is_taken_back_after_the_claim_timeout(app, smtp):
    import datetime as dt

    from crm.db import utcnow

    row = OutboxMail.create(recipient="crash@example.org", subject="Crashed", text_body="x",
                            status=mail.SENDING, attempts=1, claimed_at=utcnow() - dt.timedelta(minutes=5))
    assert mail.send_queued(force=True) == (0, 0)  # still someone else's (default: 15 minutes)
    app.config["MAIL_CLAIM_TIMEOUT"] = 60
    assert mail.send_queued(force=True) == (1, 0)
    row = OutboxMail.get_by_id(row.id)
    assert row.status == mail.SENT and row.attempts == 2 and len(smtp.to("crash@example.org")) == 1


# --- finding 13: every SMTP step has a timeout, and no request waits on SMTP ---------------------

@pytest.fixture
def silent_smtp():
    """A socket on 127.0.0.1 that accepts connections and never says a word."""
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    yield server.getsockname()[1]
    server.close()


def test_a_silent_smtp_server_never_delays_the_page(app, live_server, make_user, silent_smtp):
    import http.client
    import time
    import urllib.parse

    make_user("admin", email="admin@example.org")
    app.config.update(MAIL_PORT=silent_smtp, MAIL_TIMEOUT=5)
    host, port = urllib.parse.urlsplit(live_server.url).netloc.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    started = time.monotonic()
    connection.request("POST", "/account/forgot", body="email=admin%40example.org",
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    response = connection.getresponse()
    response.read()
    took = time.monotonic() - started
    connection.close()
    assert response.status == 302 and took < 2, took
    # The attempt runs after the response, gives up after the timeout, and leaves the mail queued.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        row = OutboxMail.get(OutboxMail.recipient == "admin@example.org")
        if row.attempts and row.status != mail.SENDING:
            break
        time.sleep(0.2)
    assert row.status == mail.QUEUED and row.attempts == 1 and "timed out" in row.last_error.lower()


def test_send_queued_gives_up_on_a_silent_server_after_the_timeout(app, silent_smtp):
    import threading
    import time

    for n in range(3):
        OutboxMail.create(recipient=f"slow{n}@example.org", subject="Hi", text_body="x")
    app.config.update(MAIL_PORT=silent_smtp, MAIL_TIMEOUT=1)
    outcome = []

    def run():
        with app.app_context():
            outcome.append(mail.send_queued(force=True))
            database.close()

    started = time.monotonic()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(15)
    assert not thread.is_alive(), "send-queued hangs on a silent SMTP server"
    # One attempt times out; the run stops there instead of waiting once per mail.
    assert outcome == [(0, 1)] and time.monotonic() - started < 5
    rows = list(OutboxMail.select().order_by(OutboxMail.id))
    assert [r.status for r in rows] == [mail.QUEUED] * 3
    assert rows[0].attempts == 1 and rows[0].next_attempt_at > rows[0].created_at and rows[0].last_error
    assert [r.attempts for r in rows[1:]] == [0, 0]


# --- finding 14: no line over 998 bytes ------------------------------------------------------------

def test_a_long_single_line_html_body_arrives_intact_in_short_lines(app, smtp):
    html = "<p>" + " ".join(f"wörd{n}" for n in range(1500)) + " – end</p>"
    text = "Line: " + "x" * 3000
    OutboxMail.create(recipient="long@example.org", subject="Long " + "é" * 200, text_body=text, html_body=html)
    assert mail.send_queued(force=True) == (1, 0)
    message = smtp.last_to("long@example.org")
    assert max(len(line) for line in message.raw.split(b"\r\n")) <= 998
    assert smtp.html(message).rstrip("\r\n") == html and smtp.text(message).rstrip("\r\n") == text
    assert message["Subject"] == "Long " + "é" * 200
