"""The mail outbox: every mail is stored first, in the caller's transaction, and sent after the commit.

``queue_mail`` renders ``templates/mail/<name>.txt`` and ``.html`` and inserts an ``OutboxMail`` row. The
subject (a lazy string) and both bodies are rendered in the recipient's language (``recipient_language``),
named by the mail's ``Content-Language`` header.
The ids queued during a request are delivered after the response has been sent (``call_on_close``,
within ``CRM_MAIL_AFTER_RESPONSE_BUDGET`` seconds), so no page ever waits on SMTP; ids queued in an
app context used by a command are delivered when that context ends. A row that was rolled back is
simply not found.

Every sender first *claims* a row (one conditional ``UPDATE … SET status='sending' WHERE
status='queued'``, which only one sender can win on SQLite and PostgreSQL alike), so any number of
overlapping senders deliver each mail once. Every SMTP step has a timeout (``CRM_MAIL_TIMEOUT``).
If the SMTP server is down or slow the action still succeeds: the row goes back to the queue and
``crm mail send-queued`` retries it with exponential backoff. A mail that fails for a reason of its
own (a refused address, a header that cannot be built) is given up with that reason and never
stops the others.

Delivery is exactly once, except after a sender died in the middle of sending: its claimed row is
taken back after ``CRM_MAIL_CLAIM_TIMEOUT`` seconds and sent again, so that one mail may arrive twice
(at least once, never lost).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import re
import smtplib
import time
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formataddr, formatdate, make_msgid, parseaddr

import peewee
from flask import current_app, g, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from crm.accounts.models import User
from crm.contacts.models import Contact
from crm.db import BaseModel, database, utcnow
from crm.i18n import DEFAULT, RIGHT_TO_LEFT, supported

log = logging.getLogger(__name__)

QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"
STATUSES = {QUEUED: _l("Queued"), SENDING: _l("Sending"), SENT: _l("Sent"), FAILED: _l("Given up")}

# Bodies are sent 7-bit clean: any non-ASCII or long line is quoted-printable or base64, so no
# line of the message is ever longer than 78 characters (strict servers refuse lines over 998 bytes).
POLICY = SMTP_POLICY.clone(cte_type="7bit")


class OutboxMail(BaseModel):
    """A mail waiting to be sent, sent, or given up after too many attempts."""

    recipient = peewee.CharField(max_length=254, index=True)
    subject = peewee.CharField(max_length=300)
    text_body = peewee.TextField()
    html_body = peewee.TextField(default="")
    attachments_json = peewee.TextField(default="[]")
    headers_json = peewee.TextField(default="{}")  # extra headers, e.g. List-Unsubscribe of a mailing
    template = peewee.CharField(max_length=100, default="")
    status = peewee.CharField(max_length=10, default=QUEUED, index=True)
    attempts = peewee.IntegerField(default=0)
    last_error = peewee.TextField(default="")
    created_at = peewee.DateTimeField(default=utcnow, index=True)
    next_attempt_at = peewee.DateTimeField(default=utcnow, index=True)
    sent_at = peewee.DateTimeField(null=True)
    claimed_at = peewee.DateTimeField(null=True)

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def attachments(self) -> list[dict]:
        return json.loads(self.attachments_json or "[]")

    @property
    def language(self) -> str:
        """The language the mail was written in (its Content-Language header; "" for mails older than it)."""
        return json.loads(self.headers_json or "{}").get("Content-Language", "")


def clean_header(value) -> str:
    """Return ``value`` on one line: CR, LF and other control characters become single spaces."""
    return " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", str(value or "")).split())


def _city_language(person) -> str | None:
    """The first language of ``person``'s city, when the interface speaks it."""
    city = person.city if person is not None and person.city_id else None
    return supported((city.languages or [""])[0]) if city is not None else None


def recipient_language(recipient, language: str | None = None) -> str:
    """Return the language a mail to ``recipient`` (an address, a ``User`` or a ``Contact``) is written in.

    ``language`` when given and the interface speaks it; else the person's own choice (the user's, then the
    contact's with that address), then the first language of their city, then English. Mail to the
    secretariat's address is in English unless a user with that address chose a language.
    """
    if supported(language):
        return supported(language)
    if isinstance(recipient, (User, Contact)):
        people = [recipient]
    else:
        address = str(recipient or "").strip().lower()
        user = User.get_or_none(User.email == address) if address else None
        if address == current_app.config["SECRETARIAT_EMAIL"].strip().lower():
            return supported(user.language if user else "") or DEFAULT
        people = [user, Contact.get_or_none(Contact.email == address) if address else None]
    people = [person for person in people if person is not None]
    for person in people:
        if supported(person.language):
            return supported(person.language)
    for person in people:
        if _city_language(person):
            return _city_language(person)
    return DEFAULT


def queue_mail(recipient, subject, template: str, *, attachments=(), headers=None, deliver_now=True,
               language: str | None = None, **context) -> OutboxMail:
    """Store a mail rendered from ``mail/<template>.txt|.html``; it is sent after the commit.

    ``recipient`` is an address, or the ``User`` or ``Contact`` it belongs to; the subject (a lazy string, or
    a plain one that stays as it is) and the bodies are rendered in ``recipient_language(recipient,
    language)``. ``headers`` adds header lines; ``deliver_now=False`` leaves the mail to the senders run from
    cron (a throttled mailing must not go out all at once after the request).
    """
    code = recipient_language(recipient, language)
    address = recipient.email if isinstance(recipient, (User, Contact)) else recipient
    context.setdefault("base_url", current_app.config["BASE_URL"].rstrip("/"))
    context.update(mail_language=code, mail_direction="rtl" if code in RIGHT_TO_LEFT else "ltr")
    g.rendering_mail = True  # times in a mail are never in the sender's own time zone
    try:
        with force_locale(code):
            subject = str(subject)
            text = render_template(f"mail/{template}.txt", subject=subject, **context)
            html = render_template(f"mail/{template}.html", subject=subject, **context)
    finally:
        g.rendering_mail = False
    headers = {"Content-Language": code, **(headers or {})}
    stored = [
        {"filename": name, "content_type": ctype, "data": base64.b64encode(
            data.encode() if isinstance(data, str) else data).decode()}
        for name, ctype, data in attachments
    ]
    row = OutboxMail.create(recipient=(address or "").strip(), subject=clean_header(subject)[:300], text_body=text,
                            html_body=html, attachments_json=json.dumps(stored), template=template,
                            headers_json=json.dumps({clean_header(k): clean_header(v) for k, v in headers.items()}))
    if deliver_now:
        g.setdefault("outbox_pending", []).append(row.id)
    return row


def _backoff(attempts: int) -> dt.timedelta:
    """Wait 1, 2, 4 … minutes between attempts, at most six hours."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


class MailOwnError(Exception):
    """This mail cannot be sent as it is (bad address, header or attachment): retrying will not help."""


def _sender() -> str:
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    if isinstance(sender, (tuple, list)):
        sender = formataddr((clean_header(sender[0]), clean_header(sender[1])))
    return clean_header(sender)


def build_message(row: OutboxMail) -> EmailMessage:
    """Build the MIME message of ``row``: one-line headers, text and HTML parts, attachments."""
    recipient = (row.recipient or "").strip()
    if not recipient or re.search(r"[\s\x00-\x1f\x7f,;<>]", recipient) or "@" not in recipient:
        raise MailOwnError(f"Not a single valid address: {recipient!r}")
    sender = _sender()
    message = EmailMessage(policy=POLICY)
    try:
        message["Subject"] = clean_header(row.subject)
        message["From"] = sender
        message["To"] = recipient
        message["Date"] = formatdate(localtime=False, usegmt=True)
        message["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2] or None)
        message.set_content(row.text_body or "", charset="utf-8")
        if row.html_body:
            message.add_alternative(row.html_body, subtype="html", charset="utf-8")
        for item in row.attachments:
            maintype, _, subtype = item["content_type"].partition("/")
            params = {"charset": "utf-8"} if maintype == "text" else None
            message.add_attachment(base64.b64decode(item["data"]), maintype=maintype, subtype=subtype or "octet-stream",
                                   filename=clean_header(item["filename"]), params=params)
        # After the parts: building them moves or drops Content-* headers (Content-Language among them).
        for name, value in json.loads(row.headers_json or "{}").items():
            message[name] = value
    except (ValueError, TypeError, KeyError, LookupError) as exc:
        raise MailOwnError(f"The mail cannot be built: {type(exc).__name__}: {exc}") from exc
    return message


class SMTPSession:
    """One SMTP connection, opened on first use, with ``MAIL_TIMEOUT`` on every step."""

    def __init__(self, config):
        self.config = config
        self.smtp = None

    def _open(self):
        c = self.config
        cls = smtplib.SMTP_SSL if c.get("MAIL_USE_SSL") else smtplib.SMTP
        smtp = cls(c["MAIL_SERVER"], int(c["MAIL_PORT"]), timeout=float(c["MAIL_TIMEOUT"]))
        try:
            if c.get("MAIL_USE_TLS"):
                smtp.starttls()
            if c.get("MAIL_USERNAME"):
                smtp.login(c["MAIL_USERNAME"], c.get("MAIL_PASSWORD") or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, message: EmailMessage, recipient: str) -> None:
        if self.config.get("MAIL_SUPPRESS_SEND", current_app.testing):
            return  # Flask-Mail's rule: tests send nothing unless they ask for it
        if self.smtp is None:
            self.smtp = self._open()
        try:
            self.smtp.send_message(message, from_addr=parseaddr(message["From"])[1], to_addrs=[recipient])
        except smtplib.SMTPResponseException:
            raise  # the server answered: the connection is still good
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None


RETRY, RETRY_LATER_ALL, GIVE_UP = "retry", "retry-later-all", "give-up"


def _classify(exc: BaseException) -> str:
    """Tell a mail's own failure (give up) from a server or network problem (retry, stop this run)."""
    if isinstance(exc, (smtplib.SMTPConnectError, smtplib.SMTPHeloError, smtplib.SMTPAuthenticationError,
                        smtplib.SMTPServerDisconnected, smtplib.SMTPSenderRefused)):
        return RETRY_LATER_ALL
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return GIVE_UP if codes and all(code >= 500 for code in codes) else RETRY
    if isinstance(exc, smtplib.SMTPResponseException):
        return GIVE_UP if exc.smtp_code >= 500 else RETRY
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return GIVE_UP
    if isinstance(exc, OSError):  # refused, timed out, name not found, TLS: the server, not the mail
        return RETRY_LATER_ALL
    return GIVE_UP


def _backoff(attempts: int) -> dt.timedelta:
    """Wait 1, 2, 4 … minutes between attempts, at most six hours."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def _claim(mail_id: int) -> OutboxMail | None:
    """Take a queued row for this sender (one autocommitted conditional UPDATE); None if another has it."""
    claimed = (OutboxMail
               .update(status=SENDING, claimed_at=utcnow(), attempts=OutboxMail.attempts + 1)
               .where(OutboxMail.id == mail_id, OutboxMail.status == QUEUED)
               .execute())
    return OutboxMail.get_by_id(mail_id) if claimed else None


def _finish(row: OutboxMail, **values) -> None:
    """Record the outcome of a claimed row (only while it is still this sender's claim)."""
    values.setdefault("claimed_at", None)
    (OutboxMail
     .update(**values)
     .where(OutboxMail.id == row.id, OutboxMail.status == SENDING)
     .execute())
    for name, value in values.items():
        setattr(row, name, value)


def _attempt(row: OutboxMail, session: SMTPSession) -> str | None:
    """Send one claimed row; record the outcome; return None when sent, else how it failed."""
    try:
        message = build_message(row)
        session.send(message, row.recipient.strip())
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row, none stops the run
        kind = _classify(exc)
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if kind == GIVE_UP or row.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            _finish(row, status=FAILED, last_error=error)
        else:
            _finish(row, status=QUEUED, last_error=error, next_attempt_at=utcnow() + _backoff(row.attempts))
        log.warning("Mail %s to %r not sent (%s): %r", row.id, row.recipient, kind, error)
        return kind
    _finish(row, status=SENT, sent_at=utcnow(), last_error="")
    return None


def _deliver_ids(ids, *, budget: float | None = None, progress=None) -> tuple[int, int]:
    """Claim and send the rows ``ids`` in order; return (sent, not sent).

    Stops early, leaving the rest queued for the next run, when the server is unreachable or the
    time ``budget`` (seconds) is spent.
    """
    deadline = None if budget is None else time.monotonic() + budget
    session = SMTPSession(current_app.config)
    sent = failed = 0
    try:
        for mail_id in ids:
            if deadline is not None and time.monotonic() > deadline:
                break
            row = _claim(mail_id)
            if row is not None:
                outcome = _attempt(row, session)
                sent += outcome is None
                failed += outcome is not None
                if outcome == RETRY_LATER_ALL:
                    break
            if progress:
                progress(1)
    finally:
        session.close()
    return sent, failed


def deliver(ids, *, budget: float | None = None) -> int:
    """Send the queued rows among ``ids`` (those that committed); return how many went out."""
    found = (OutboxMail
             .select(OutboxMail.id)
             .where(OutboxMail.id.in_(list(ids)), OutboxMail.status == QUEUED)
             .order_by(OutboxMail.id))
    return _deliver_ids([row.id for row in found], budget=budget)[0]


def deliver_pending(*, budget: float | None = None) -> int:
    """Send the mails queued in this request or app context; never raises."""
    ids = g.pop("outbox_pending", None)
    if not ids:
        return 0
    return _deliver_safely(ids, budget)


def _deliver_safely(ids, budget) -> int:
    opened = database.connect(reuse_if_open=True)
    try:
        return deliver(ids, budget=budget)
    except Exception:  # the user's action has succeeded; the rows stay queued for the retry command
        log.exception("Delivering queued mail failed; it stays queued")
        return 0
    finally:
        if opened:
            database.close()


def reclaim_stale(older_than: float | None = None) -> int:
    """Put back in the queue rows left 'sending' by a sender that died; return how many.

    Such a mail may already have reached the server, so it may arrive twice: at least once, never lost.
    """
    seconds = current_app.config["MAIL_CLAIM_TIMEOUT"] if older_than is None else older_than
    cutoff = utcnow() - dt.timedelta(seconds=seconds)
    stale = (OutboxMail.status == SENDING) & (OutboxMail.claimed_at <= cutoff)
    note = "The sender stopped while sending this mail; it may have gone out once already."
    given_up = (OutboxMail
                .update(status=FAILED, claimed_at=None, last_error=note)
                .where(stale, OutboxMail.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"])
                .execute())
    requeued = (OutboxMail
                .update(status=QUEUED, claimed_at=None, last_error=note, next_attempt_at=utcnow())
                .where(stale)
                .execute())
    if given_up or requeued:
        log.warning("Took back %d mail(s) left 'sending' by a stopped sender", given_up + requeued)
    return given_up + requeued


def send_queued(*, force: bool = False, limit: int | None = None, progress=None,
                reclaim_after: float | None = None) -> tuple[int, int]:
    """Retry queued mails whose next attempt is due (all of them with ``force``); return (sent, failed)."""
    reclaim_stale(reclaim_after)
    query = OutboxMail.select(OutboxMail.id).where(OutboxMail.status == QUEUED).order_by(OutboxMail.id)
    if not force:
        query = query.where(OutboxMail.next_attempt_at <= utcnow())
    if limit:
        query = query.limit(limit)
    return _deliver_ids([row.id for row in query], progress=progress)


def requeue(row: OutboxMail) -> None:
    """Put a given-up mail back in the queue for an immediate attempt."""
    row.status, row.next_attempt_at = QUEUED, utcnow()
    row.save()
    g.setdefault("outbox_pending", []).append(row.id)


HIDDEN = "…[link hidden]"
# What an itsdangerous token looks like (payload.timestamp.signature, base64url), wherever it stands.
_SIGNED = re.compile(r"\.?[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{16,}")


def _token_route_prefixes(app) -> list[str]:
    """The fixed part before ``<token>`` of every route that takes a signed token."""
    prefixes = set()
    for rule in app.url_map.iter_rules():
        parts = re.split(r"<(?:[^:<>]+:)?token>", rule.rule, maxsplit=1)
        if len(parts) == 2:
            prefix = parts[0].rsplit(">", 1)[-1]
            if len(prefix) > 1:
                prefixes.add(prefix)
    return sorted(prefixes, key=len, reverse=True)


def redact_links(text: str) -> str:
    """Return ``text`` with the token of every signed link hidden (only the addressee may use it)."""
    if not text:
        return text or ""
    prefixes = _token_route_prefixes(current_app)
    if prefixes:
        routes = re.compile("(" + "|".join(re.escape(p) for p in prefixes) + r")[^\s\"'<>]+")
        text = routes.sub(lambda m: m.group(1) + HIDDEN, text)
    return _SIGNED.sub(HIDDEN, text)


def counts() -> dict[str, int]:
    """Return the number of mails per status."""
    query = OutboxMail.select(OutboxMail.status, peewee.fn.COUNT(OutboxMail.id).alias("n")).group_by(OutboxMail.status)
    found = {row.status: row.n for row in query}
    return {status: found.get(status, 0) for status in STATUSES}


def _deliver_after_response(app, ids, budget) -> None:
    with app.app_context():
        _deliver_safely(ids, budget)


def init_app(app) -> None:
    """Deliver after each request, and at the end of app contexts used by commands."""
    # Imported here: crm.extensions loads every Flask extension (Flask-Limiter is slow to import), which
    # the modules importing the outbox (and `crm --help`, through their commands) do not otherwise need.
    from crm.extensions import mail

    mail.init_app(app)

    @app.after_request
    def _after_request(response):
        # Deliver once the response has gone out (the server closes it after writing the body), so
        # the page never waits on SMTP; what the budget leaves is sent by `crm mail send-queued`.
        ids = g.pop("outbox_pending", None)
        if ids:
            budget = app.config["MAIL_AFTER_RESPONSE_BUDGET"]
            response.call_on_close(lambda: _deliver_after_response(app, ids, budget))
        return response

    @app.teardown_appcontext
    def _teardown(exc):
        if exc is None:
            deliver_pending()
