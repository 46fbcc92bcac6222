"""The dashboard's outbox health panel: oldest mail waiting, mails failing, last delivery."""

import datetime as dt
import re

from crm import mail
from crm.db import database, utcnow
from crm.outbox.services import health


def _html(response) -> str:
    return " ".join(response.get_data(as_text=True).split())


def _queue(address: str):
    with database.atomic():
        return mail.queue_mail(address, "Hello", "reset_password", deliver_now=False, user=None, link="x", hours=1)


def test_an_empty_outbox_is_healthy(login_as):
    html = _html(login_as("staff").get("/dashboard"))
    panel = html.split("Outbox health", 1)[1]
    assert "Healthy" in panel.split("</article>", 1)[0]
    assert "Oldest waiting: nothing waiting" in panel and "Failing: 0" in panel and "Last delivery: none yet" in panel


def test_the_panel_shows_the_oldest_queued_mail_the_failing_ones_and_the_last_delivery(app, login_as, smtp):
    delivered = _queue("sent@example.org")
    assert mail.deliver([delivered.id]) == 1  # through the real SMTP server
    assert [m.envelope_to for m in smtp.messages] == [["sent@example.org"]]
    waiting = _queue("waiting@example.org")
    mail.OutboxMail.update(created_at=utcnow() - dt.timedelta(hours=3)).where(
        mail.OutboxMail.id == waiting.id).execute()
    retrying = _queue("retry@example.org")
    mail.OutboxMail.update(attempts=2, last_error="421 try later").where(mail.OutboxMail.id == retrying.id).execute()
    given_up = _queue("gone@example.org")
    mail.OutboxMail.update(status=mail.FAILED, attempts=8).where(mail.OutboxMail.id == given_up.id).execute()

    found = health()
    assert found["oldest"].id == waiting.id and found["oldest_age"] == "3 h" and found["stuck"]
    assert (found["retrying"], found["given_up"], found["failing"]) == (1, 1, 2)
    assert abs(found["last_sent_at"] - mail.OutboxMail.get_by_id(delivered.id).sent_at) < dt.timedelta(seconds=1)
    assert not found["ok"]

    html = _html(login_as("staff").get("/dashboard"))
    panel = html.split("Outbox health", 1)[1].split("</article>", 1)[0]
    assert "Needs attention" in panel
    assert f'href="/outbox/{waiting.id}">queued 3 h ago</a>' in panel and "stuck" in panel
    assert "Failing: <strong>2</strong> (1 retrying after an error, 1 given up)" in panel
    assert re.search(r"Last delivery: \d+ s ago \(", panel), panel
    # Members never see the dashboard.
    assert "Outbox health" not in _html(login_as("member").get("/"))
