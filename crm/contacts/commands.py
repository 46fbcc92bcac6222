"""``crm import contacts FILE.csv``: the contacts import, with the same checks as the import page."""

from crm.cli import csv_import_command

import_contacts_command = csv_import_command(
    "contacts", "crm.contacts.imports", default_mode="skip", label="Contacts",
    doc="Import contacts from a CSV file (header: name,email,position,organisation,sector,city,country,...).")
