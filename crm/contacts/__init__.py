"""Contacts: the people the network works with, their duplicates, imports and privacy requests."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from crm.features import Feature

bp = Blueprint("contacts", __name__, url_prefix="/contacts")

feature = Feature(
    "contacts",
    cli_imports=("crm.contacts.commands:import_contacts_command",),
    web_imports={"contacts": "crm.contacts.imports"},
    receivers=("crm.contacts.receivers",),
    nav=(("secretariat", _l("Contacts"), "contacts.contact_list"),),
)
