"""``crm search rebuild|check|sync`` and ``crm peers``."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import AppGroup, with_appcontext

search_group = AppGroup("search", help="Keep the search index in line with the database.")


def _connect():
    from crm.db import database

    database.connect(reuse_if_open=True)


@search_group.command("rebuild")
@with_appcontext
def rebuild():
    """Build a fresh index from the database and swap it in (searches keep working meanwhile)."""
    from crm import indexing

    _connect()
    total = indexing.count_records()
    with click.progressbar(length=total, label="Indexing", file=sys.stderr) as bar:
        seen = [0]

        def progress(count):
            bar.update(max(0, count - seen[0]))
            seen[0] = count

        count = indexing.rebuild(progress=progress)
    click.echo(f"Indexed {count} document(s).")


@search_group.command("check")
@with_appcontext
def check():
    """Report documents missing from the index, stale in it, or extra (exit status 1 if any)."""
    from crm import indexing

    _connect()
    report = indexing.check()
    for label, ids in (("missing", report.missing), ("stale", report.stale), ("extra", report.extra)):
        click.echo(f"{label}: {len(ids)}" + (f" ({', '.join(ids[:20])}{' …' if len(ids) > 20 else ''})" if ids else ""))
    pending = indexing.pending_count()
    click.echo(f"{report.total} document(s) expected; {pending} change(s) pending in the log.")
    if not report.ok:
        raise SystemExit(1)


@search_group.command("sync")
@with_appcontext
def sync():
    """Apply pending index changes (meant for cron, e.g. every minute); rebuild a missing or damaged index."""
    from crm import indexing

    _connect()
    done, count = indexing.sync()
    if done == "rebuilt":
        click.echo(f"The index was missing, empty or damaged: rebuilt it from the database ({count} document(s)).")
    else:
        click.echo(f"Applied {count} change(s).")


@search_group.command("prune")
@click.option("--days", default=30, show_default=True, type=click.IntRange(min=1),
              help="Keep the change log of this many days.")
@with_appcontext
def prune(days):
    """Delete old change-log rows that the index has applied (meant for cron, e.g. daily)."""
    from crm import indexing

    _connect()
    click.echo(f"Deleted {indexing.prune(days)} change-log row(s) older than {days} day(s).")


@click.command("peers")
@click.argument("description")
@click.option("--limit", default=10, show_default=True, help="How many cities to list.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list: city, country, score, reasons.")
@with_appcontext
def peers(description, limit, as_json):
    """Rank member cities as peer advisers for an incident DESCRIPTION (any language)."""
    from crm.searchui import services

    _connect()
    matches = services.peers(None, description, limit=limit, snippets=False)  # only reasons are printed
    rows = services.peers_json(matches)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("No peer city found.")
    for n, row in enumerate(rows, start=1):
        click.echo(f"{n}. {row['city']} ({row['country']})  score {row['score']}")
        for reason in row["reasons"]:
            click.echo(f"     - {reason}")
