"""Contacts: the people the network works with, their duplicates, imports and privacy requests."""

from flask import Blueprint

from crm.features import Feature

bp = Blueprint("contacts", __name__, url_prefix="/contacts")

feature = Feature(
    "contacts",
    blueprint="crm.contacts.views:bp",
    models=("crm.contacts.models",),
    cli_imports=("crm.contacts.commands:import_contacts_command",),
    index=("crm.contacts.index",),
    nav=(("secretariat", "Contacts", "contacts.contact_list"),),
)
