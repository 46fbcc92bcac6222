"""``crm import lessons FILE.csv``: published lessons with network visibility."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("lessons")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--only-valid", is_flag=True, help="Import the valid rows even if some rows have errors.")
@with_appcontext
def import_lessons_command(path, only_valid):
    """Import lessons from a CSV with header city,title,phase,themes,body (published, network visibility)."""
    from crm import indexing
    from crm.core.csvimport import echo_plan, read_csv_file
    from crm.db import database
    from crm.lessons.imports import ImportRefused, check_lessons, import_lessons

    database.connect(reuse_if_open=True)
    plan = check_lessons(read_csv_file(path))
    echo_plan(plan)
    try:
        result = import_lessons(plan, only_valid=only_valid)
    except ImportRefused as exc:
        raise click.ClickException(str(exc)) from None
    indexing.apply_pending(wait=True)
    click.echo(f"Lessons: {result}")
