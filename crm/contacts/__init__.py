"""Contacts: the people the network works with, their duplicates, imports and privacy requests."""

from flask import Blueprint

from crm.features import Feature

bp = Blueprint("contacts", __name__, url_prefix="/contacts")

feature = Feature(
    "contacts",
    cli_imports=("crm.contacts.commands:import_contacts_command",),
    web_imports={"contacts": "crm.contacts.imports"},
    receivers=("crm.contacts.receivers",),
    nav=(("secretariat", "Contacts", "contacts.contact_list"),),
)
