"""What the secretariat reads about the outbox: how healthy delivery is."""

from __future__ import annotations

import datetime as dt

import peewee
from flask_babel import gettext as _

from crm import mail
from crm.db import utcnow

STUCK_AFTER = dt.timedelta(minutes=15)  # cron sends every minute: a mail queued this long means trouble


def _age(delta: dt.timedelta) -> str:
    """Say a duration in words, coarsely: "40 s", "12 min", "3 h", "2 days"."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 60:
        return _("%(seconds)s s", seconds=seconds)
    if seconds < 3600:
        return _("%(minutes)s min", minutes=seconds // 60)
    if seconds < 2 * 86400:
        return _("%(hours)s h", hours=seconds // 3600)
    return _("%(days)s days", days=seconds // 86400)


def health(now: dt.datetime | None = None) -> dict:
    """Return the outbox's health: the oldest mail waiting and its age, the mails failing, the last delivery."""
    now = now or utcnow()
    oldest = (mail.OutboxMail
              .select(mail.OutboxMail.id, mail.OutboxMail.created_at)
              .where(mail.OutboxMail.status.in_([mail.QUEUED, mail.SENDING]))
              .order_by(mail.OutboxMail.created_at, mail.OutboxMail.id)
              .first())
    retrying = (mail.OutboxMail
                .select()
                .where(mail.OutboxMail.status == mail.QUEUED, mail.OutboxMail.attempts > 0)
                .count())
    given_up = mail.OutboxMail.select().where(mail.OutboxMail.status == mail.FAILED).count()
    last_sent_at = (mail.OutboxMail
                    .select(peewee.fn.MAX(mail.OutboxMail.sent_at))
                    .where(mail.OutboxMail.status == mail.SENT)
                    .scalar())
    if isinstance(last_sent_at, str):  # SQLite returns MAX() of a datetime column as text
        last_sent_at = dt.datetime.fromisoformat(last_sent_at)
    waiting = now - oldest.created_at if oldest else None
    return {
        "oldest": oldest,
        "oldest_age": _age(waiting) if waiting is not None else None,
        "stuck": waiting is not None and waiting > STUCK_AFTER,
        "retrying": retrying,
        "given_up": given_up,
        "failing": retrying + given_up,
        "last_sent_at": last_sent_at,
        "last_sent_age": _age(now - last_sent_at) if last_sent_at else None,
        "ok": not (waiting is not None and waiting > STUCK_AFTER) and not retrying and not given_up,
    }
