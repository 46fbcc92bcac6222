"""``crm events send-reminders|process-offers``: scheduled work for events (meant for cron)."""

from __future__ import annotations

import click
from flask.cli import AppGroup, with_appcontext
from flask_babel import gettext as _


@click.group("events", cls=AppGroup)
def events_group():
    """Scheduled work for events (meant for cron)."""


@events_group.command("send-reminders")
@click.option("--days", type=int, default=None,
              help="Remind this many days before the start (default: each event's own setting).")
@with_appcontext
def events_send_reminders(days):
    """Expire unanswered seat offers, remind unanswered invitees, and remind registered people (once each)."""
    from crm.db import database
    from crm.events import services

    database.connect(reuse_if_open=True)
    expired = services.process_offers()
    invitations = services.send_invitation_reminders()
    reminders = services.send_reminders(days=days)
    click.echo(_("Expired %(expired)s offer(s); reminded %(invitations)s invitee(s) and %(reminders)s participant(s).",
                 expired=expired, invitations=invitations, reminders=reminders))


@events_group.command("process-offers")
@with_appcontext
def events_process_offers():
    """Expire seat offers past their deadline and offer the seats to the next people waiting."""
    from crm.db import database
    from crm.events import services

    database.connect(reuse_if_open=True)
    click.echo(_("Expired %(expired)s offer(s).", expired=services.process_offers()))
