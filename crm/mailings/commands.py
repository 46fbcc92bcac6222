"""`crm mailings ...`: deliver queued mailings at the configured rate."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from crm.db import database
from crm.mailings import bounces, services


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


@mailings_group.command("bounces")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@with_appcontext
def bounces_command(path):
    """Read bounce reports (RFC 3464) from an mbox file or a folder of .eml files; mark bouncing addresses."""
    database.connect(reuse_if_open=True)
    counts = bounces.import_bounces(path)
    click.echo(f"Read {counts['reports']} bounce report(s): {counts['hard']} hard and {counts['soft']} soft "
               f"bounce(s) recorded, {counts['already']} already known; {counts['not_reports']} other mail(s) skipped.")
    found = bounces.bouncing_emails()
    click.echo(f"{len(found)} address(es) are bouncing (at least {bounces.bounce_limit()} hard bounces) and get no mailing.")
