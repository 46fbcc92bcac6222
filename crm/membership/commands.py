"""``crm import cities FILE.csv``: the member cities import, with the same checks as the import page."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from crm.cli import MODE_OPTION, ONLY_VALID_OPTION, run_import


@click.command("cities")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@MODE_OPTION
@ONLY_VALID_OPTION
@with_appcontext
def import_cities_command(path, mode, only_valid):
    """Import member cities from a CSV file (header: name,country,region,population,languages,expertise[,incident_summary])."""
    from crm.membership.imports import check_cities, import_cities

    run_import(check_cities, import_cities, path, mode or "update", only_valid, "Cities")
