"""``crm import contacts FILE.csv``: the contacts import, with the same checks as the import page."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from crm.cli import MODE_OPTION, ONLY_VALID_OPTION, run_import


@click.command("contacts")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@MODE_OPTION
@ONLY_VALID_OPTION
@with_appcontext
def import_contacts_command(path, mode, only_valid):
    """Import contacts from a CSV file (header: name,email,position,organisation,sector,city,country,...)."""
    from crm.contacts.imports import check_contacts, import_contacts

    run_import(check_contacts, import_contacts, path, mode or "skip", only_valid, "Contacts")
