"""``crm advice flag-urgent``: flag urgent advice requests not answered in time (cron)."""

from __future__ import annotations

import click
from flask.cli import AppGroup, with_appcontext

advice_group = AppGroup("advice", help="Advice requests between member cities.")


@advice_group.command("flag-urgent")
@with_appcontext
def flag_urgent():
    """Mail the secretariat about urgent requests unanswered for CRM_ADVICE_URGENT_HOURS (meant for cron)."""
    from crm.db import database
    from crm.workspace.services import flag_overdue

    database.connect(reuse_if_open=True)
    count = flag_overdue()
    click.echo(f"Flagged {count} urgent request(s).")
