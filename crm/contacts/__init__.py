"""Contacts: the people the network works with, their duplicates, imports and privacy requests."""

from flask import Blueprint

from crm.templating import register_nav

bp = Blueprint("contacts", __name__, url_prefix="/contacts")

register_nav("secretariat", "Contacts", "contacts.contact_list")

from crm.contacts import views  # noqa: E402,F401
