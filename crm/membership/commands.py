"""``crm import cities FILE.csv``: the member cities import, with the same checks as the import page."""

from crm.cli import csv_import_command

import_cities_command = csv_import_command(
    "cities", "crm.membership.imports", default_mode="update", label="Cities",
    doc="Import member cities from a CSV file "
        "(header: name,country,region,population,languages,expertise[,incident_summary]).")
