"""The mail outbox: every mail is stored first, in the caller's transaction, and sent after the commit.

``queue_mail`` renders ``templates/mail/<name>.txt`` and ``.html`` and inserts an ``OutboxMail`` row.
The ids queued during a request (or an app context, for commands) are delivered after the request,
when the service's transaction has committed; a row that was rolled back is simply not found.
If the SMTP server is down the action still succeeds: the row stays queued and ``crm mail send-queued``
retries it with exponential backoff.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import smtplib

import peewee
from flask import current_app, g, render_template
from flask_mail import Message

from crm.db import BaseModel, database, utcnow
from crm.extensions import mail

log = logging.getLogger(__name__)

QUEUED, SENT, FAILED = "queued", "sent", "failed"
STATUSES = {QUEUED: "Queued", SENT: "Sent", FAILED: "Given up"}


class OutboxMail(BaseModel):
    """A mail waiting to be sent, sent, or given up after too many attempts."""

    recipient = peewee.CharField(max_length=254, index=True)
    subject = peewee.CharField(max_length=300)
    text_body = peewee.TextField()
    html_body = peewee.TextField(default="")
    attachments_json = peewee.TextField(default="[]")
    template = peewee.CharField(max_length=100, default="")
    status = peewee.CharField(max_length=10, default=QUEUED, index=True)
    attempts = peewee.IntegerField(default=0)
    last_error = peewee.TextField(default="")
    created_at = peewee.DateTimeField(default=utcnow, index=True)
    next_attempt_at = peewee.DateTimeField(default=utcnow, index=True)
    sent_at = peewee.DateTimeField(null=True)

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def attachments(self) -> list[dict]:
        return json.loads(self.attachments_json or "[]")


def queue_mail(recipient: str, subject: str, template: str, *, attachments=(), **context) -> OutboxMail:
    """Store a mail rendered from ``mail/<template>.txt|.html``; it is sent after the commit."""
    context.setdefault("base_url", current_app.config["BASE_URL"].rstrip("/"))
    text = render_template(f"mail/{template}.txt", subject=subject, **context)
    html = render_template(f"mail/{template}.html", subject=subject, **context)
    stored = [
        {"filename": name, "content_type": ctype, "data": base64.b64encode(
            data.encode() if isinstance(data, str) else data).decode()}
        for name, ctype, data in attachments
    ]
    row = OutboxMail.create(recipient=recipient, subject=subject[:300], text_body=text, html_body=html,
                            attachments_json=json.dumps(stored), template=template)
    g.setdefault("outbox_pending", []).append(row.id)
    return row


def _backoff(attempts: int) -> dt.timedelta:
    """Wait 1, 2, 4 … minutes between attempts, at most six hours."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def _send(row: OutboxMail) -> bool:
    """Try to send one row now; record the outcome on it and return whether it went."""
    message = Message(subject=row.subject, recipients=[row.recipient], body=row.text_body,
                      html=row.html_body or None)
    for item in row.attachments:
        message.attach(item["filename"], item["content_type"], base64.b64decode(item["data"]))
    row.attempts += 1
    try:
        mail.send(message)
    except (OSError, smtplib.SMTPException) as exc:
        row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if row.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            row.status = FAILED
        row.next_attempt_at = utcnow() + _backoff(row.attempts)
        log.warning("Mail %s to %s not sent: %s", row.id, row.recipient, row.last_error)
        ok = False
    else:
        row.status, row.sent_at, row.last_error = SENT, utcnow(), ""
        ok = True
    row.save()
    return ok


def deliver(ids) -> int:
    """Send the queued rows among ``ids`` (those that committed); return how many went out."""
    rows = list(OutboxMail.select().where(OutboxMail.id.in_(list(ids)), OutboxMail.status == QUEUED))
    return sum(_send(row) for row in rows)


def deliver_pending() -> int:
    """Send the mails queued in this request or app context; never raises."""
    ids = g.pop("outbox_pending", None)
    if not ids:
        return 0
    opened = database.connect(reuse_if_open=True)
    try:
        return deliver(ids)
    except Exception:  # the user's action has succeeded; the rows stay queued for the retry command
        log.exception("Delivering queued mail failed; it stays queued")
        return 0
    finally:
        if opened:
            database.close()


def send_queued(*, force: bool = False, limit: int | None = None, progress=None) -> tuple[int, int]:
    """Retry queued mails whose next attempt is due (all of them with ``force``); return (sent, failed)."""
    query = OutboxMail.select().where(OutboxMail.status == QUEUED).order_by(OutboxMail.id)
    if not force:
        query = query.where(OutboxMail.next_attempt_at <= utcnow())
    if limit:
        query = query.limit(limit)
    rows = list(query)
    sent = 0
    for row in rows:
        sent += _send(row)
        if progress:
            progress(1)
    return sent, len(rows) - sent


def requeue(row: OutboxMail) -> None:
    """Put a given-up mail back in the queue for an immediate attempt."""
    row.status, row.next_attempt_at = QUEUED, utcnow()
    row.save()
    g.setdefault("outbox_pending", []).append(row.id)


def counts() -> dict[str, int]:
    """Return the number of mails per status."""
    query = OutboxMail.select(OutboxMail.status, peewee.fn.COUNT(OutboxMail.id).alias("n")).group_by(OutboxMail.status)
    found = {row.status: row.n for row in query}
    return {status: found.get(status, 0) for status in STATUSES}


def init_app(app) -> None:
    """Deliver after each request, and at the end of app contexts used by commands."""
    mail.init_app(app)

    @app.after_request
    def _after_request(response):
        deliver_pending()
        return response

    @app.teardown_appcontext
    def _teardown(exc):
        if exc is None:
            deliver_pending()
