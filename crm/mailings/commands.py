"""The mailings commands: `crm mailing send` (queue one), `crm mail bounces` (read bounce reports), and
`crm mailings send` (deliver at the configured rate, for cron); `crm mailings queue` and `crm mailings bounces`
are the older names of the first two.

The feature's modules are imported inside the commands, so that `crm --help` and `crm mail send-queued` do not
load them.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext
from flask_babel import gettext as _


@click.group("mailing", cls=AppGroup)
def mailing_group():
    """Queue a mailing to a list or a segment."""


@click.group("mail", cls=AppGroup)
def mail_group():
    """Work with the mail outbox."""  # its commands join the core `crm mail` group (crm.cli.extend_core_group)


@click.group("mailings", cls=AppGroup)
def mailings_group():
    """Deliver queued mailings at the configured rate (and older names of `crm mailing send`, `crm mail bounces`)."""


@mailings_group.command("send")
@click.option("--rate", type=click.IntRange(min=0), default=None,
              help="Messages per minute (default CRM_MAIL_RATE; 0: as fast as the server takes them).")
@with_appcontext
def send_command(rate):
    """Queue the scheduled mailings that are due, then deliver mailing messages at CRM_MAIL_RATE a minute (cron)."""
    from crm.db import database
    from crm.mailings import services

    database.connect(reuse_if_open=True)
    for mailing, queued in services.queue_due_mailings():
        click.echo(_("Scheduled mailing %(id)s “%(subject)s”: %(count)s mail(s) queued.", id=mailing.id,
                     subject=mailing.subject, count=queued))
    sent, failed = services.send_queued_mailings(rate=rate)
    click.echo(_("Sent %(sent)s mailing message(s); %(failed)s could not be sent and stay queued or were given up.",
                 sent=sent, failed=failed))


def _read_bounces(path: Path) -> None:
    from crm.db import database
    from crm.mailings import bounces

    database.connect(reuse_if_open=True)
    counts = bounces.import_bounces(path)
    click.echo(_("Read %(reports)s bounce report(s): %(hard)s hard and %(soft)s soft bounce(s) recorded, "
                 "%(already)s already known; %(others)s other mail(s) skipped.", reports=counts["reports"],
                 hard=counts["hard"], soft=counts["soft"], already=counts["already"], others=counts["not_reports"]))
    found = bounces.bouncing_emails()
    click.echo(_("%(count)s address(es) are bouncing (at least %(limit)s hard bounces) and get no mailing.",
                 count=len(found), limit=bounces.bounce_limit()))


@mail_group.command("bounces")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, path_type=Path))
@with_appcontext
def mail_bounces_command(path):
    """Read bounce reports (RFC 3464) from an mbox file or a folder of .eml files; mark bouncing addresses."""
    _read_bounces(path)


@mailings_group.command("bounces")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@with_appcontext
def bounces_command(path):
    """Same as `crm mail bounces FILE` (its older name)."""
    _read_bounces(path)


def _find_audience(name: str):
    """Return ``(list, segment)`` named ``name`` (a list's slug or name, else a segment's name)."""
    from peewee import fn

    from crm.mailings.models import MailingList, Segment

    wanted = " ".join(name.split())
    found = (MailingList
             .select()
             .where((MailingList.slug == wanted.lower()) | (fn.LOWER(MailingList.name) == wanted.lower()))
             .first())
    if found is not None:
        return found, None
    segment = Segment.select().where(fn.LOWER(Segment.name) == wanted.lower()).first()
    if segment is not None:
        return segment.mailing_list, segment
    lists = ", ".join(f"{m.slug} ({m.name})" for m in MailingList.select().order_by(MailingList.name))
    segments = ", ".join(s.name for s in Segment.select().order_by(Segment.name)) or _("none yet")
    raise click.ClickException(_("No list or segment “%(name)s”. The lists are: %(lists)s. The segments: %(segments)s.",
                                 name=name, lists=lists, segments=segments))


def _queue(list_name, subject, body_file, language, dry_run):
    from flask import current_app

    from crm.db import database
    from crm.mailings import services

    database.connect(reuse_if_open=True)
    services.ensure_default_lists()
    mailing_list, segment = _find_audience(list_name)
    body = body_file.read()
    for text in (subject, body):
        problem = services.merge_field_error(text)
        if problem:
            raise click.ClickException(problem)
    audience = services.audience(mailing_list, segment)
    label = _("%(segment)s (segment of %(list)s)", segment=segment.name, list=mailing_list.name) if segment \
        else mailing_list.name
    click.echo(f"{label}: {audience.summary()}")
    for _key, why, found in audience.reasons():
        click.echo("  " + _("%(count)s %(reason)s", count=len(found), reason=why))
    if dry_run:
        click.echo(_("Dry run: nothing queued."))
        return
    try:
        mailing = services.save_mailing(None, mailing_list=mailing_list, segment=segment, subject=subject, body=body,
                                        language=language)
    except services.MailingError as exc:
        raise click.ClickException(str(exc)) from None
    queued = services.queue_mailing(mailing)
    if current_app.config.get("MAIL_RATE"):
        click.echo(_("Mailing %(id)s: %(count)s mail(s) queued; `crm mailings send` delivers them at CRM_MAIL_RATE a "
                     "minute.", id=mailing.id, count=queued))
    else:
        click.echo(_("Mailing %(id)s: %(count)s mail(s) queued; the outbox delivers them as this command ends; "
                     "`crm mail send-queued` retries any that fail.", id=mailing.id, count=queued))


def _queue_options(command):
    for decorator in reversed((
        click.option("--list", "list_name", required=True, metavar="LIST_OR_SEGMENT",
                     help="A list, by slug or name (e.g. network-news), or a segment, by name."),
        click.option("--subject", required=True, help="The subject (merge fields allowed)."),
        click.option("--body", "body_file", required=True, type=click.File("r", encoding="utf-8"), metavar="FILE.md",
                     help="A Markdown file with the message (merge fields allowed)."),
        click.option("--language", default="en", show_default=True,
                     help="Language of the subject and body (two letters); add other versions on the mailing's page."),
        click.option("--dry-run", is_flag=True,
                     help="Print how many would get it and why the others would not; queue nothing."),
        with_appcontext,
    )):
        command = decorator(command)
    return command


@mailing_group.command("send")
@_queue_options
def mailing_send_command(list_name, subject, body_file, language, dry_run):
    """Queue a mailing to a list or a segment; the outbox delivers it (or `crm mailings send` at CRM_MAIL_RATE)."""
    _queue(list_name, subject, body_file, language, dry_run)


@mailings_group.command("queue")
@_queue_options
def queue_command(list_name, subject, body_file, language, dry_run):
    """Same as `crm mailing send` (its older name)."""
    _queue(list_name, subject, body_file, language, dry_run)
