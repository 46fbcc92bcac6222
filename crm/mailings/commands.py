"""`crm mailings ...`: deliver queued mailings at the configured rate."""

from __future__ import annotations

import click
from flask.cli import AppGroup, with_appcontext

from crm.db import database
from crm.mailings import services


@click.group("mailings", cls=AppGroup)
def mailings_group():
    """Work with mailings."""


@mailings_group.command("send")
@click.option("--rate", type=click.IntRange(min=0), default=None,
              help="Messages per minute (default CRM_MAIL_RATE; 0: as fast as the server takes them).")
@with_appcontext
def send_command(rate):
    """Deliver the queued mailing messages, throttled to CRM_MAIL_RATE messages a minute."""
    database.connect(reuse_if_open=True)
    sent, failed = services.send_queued_mailings(rate=rate)
    click.echo(f"Sent {sent} mailing message(s); {failed} could not be sent and stay queued or were given up.")
