"""`crm mailings ...`: queue a mailing, deliver queued mailings at the configured rate, read bounce reports."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from crm.db import database
from crm.mailings import bounces, services
from crm.mailings.models import MailingList


@click.group("mailings", cls=AppGroup)
def mailings_group():
    """Work with mailings."""


@mailings_group.command("send")
@click.option("--rate", type=click.IntRange(min=0), default=None,
              help="Messages per minute (default CRM_MAIL_RATE; 0: as fast as the server takes them).")
@with_appcontext
def send_command(rate):
    """Queue the scheduled mailings that are due, then deliver mailing messages at CRM_MAIL_RATE a minute (cron)."""
    database.connect(reuse_if_open=True)
    for mailing, queued in services.queue_due_mailings():
        click.echo(f"Scheduled mailing {mailing.id} “{mailing.subject}”: {queued} mail(s) queued.")
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


@mailings_group.command("queue")
@click.option("--list", "list_name", required=True, help="The list, by name or slug (e.g. network-news).")
@click.option("--subject", required=True, help="The subject (merge fields allowed).")
@click.option("--body", "body_file", required=True, type=click.File("r", encoding="utf-8"),
              help="A Markdown file with the message (merge fields allowed).")
@click.option("--dry-run", is_flag=True, help="Print who would get it and why the others would not; queue nothing.")
@with_appcontext
def queue_command(list_name, subject, body_file, dry_run):
    """Queue a mailing to a list from the command line (deliver it with `crm mailings send`)."""
    database.connect(reuse_if_open=True)
    services.ensure_default_lists()
    found = (MailingList
             .select()
             .where((MailingList.slug == list_name.strip().lower()) | (MailingList.name == list_name.strip()))
             .first())
    if found is None:
        names = ", ".join(f"{m.slug} ({m.name})" for m in MailingList.select().order_by(MailingList.name))
        raise click.ClickException(f"No list “{list_name}”. The lists are: {names}.")
    body = body_file.read()
    for text in (subject, body):
        problem = services.merge_field_error(text)
        if problem:
            raise click.ClickException(problem)
    audience = services.audience(found)
    click.echo(f"{found.name}: {audience.summary()}")
    if dry_run:
        click.echo("Dry run: nothing queued.")
        return
    mailing = services.save_mailing(None, mailing_list=found, subject=subject, body=body)
    queued = services.queue_mailing(mailing)
    when = ("`crm mailings send` delivers them at CRM_MAIL_RATE a minute" if current_app.config.get("MAIL_RATE")
            else "the outbox delivers them as this command ends; `crm mail send-queued` retries any that fail")
    click.echo(f"Mailing {mailing.id}: {queued} mail(s) queued; {when}.")
