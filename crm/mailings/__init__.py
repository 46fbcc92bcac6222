"""Mailings: lists that contacts subscribe to, newsletters composed in Markdown and sent through the outbox,
one-click unsubscribe (RFC 8058) and a report per mailing."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from crm.features import Feature

bp = Blueprint("mailings", __name__, url_prefix="/mailings")

feature = Feature(
    "mailings",
    blueprint="crm.mailings.views:bp",
    models=("crm.mailings.models",),
    cli=("crm.mailings.commands:mailing_group", "crm.mailings.commands:mailings_group",
         "crm.mailings.commands:mail_group"),  # mail_group adds `bounces` to the core `crm mail`
    seeds=("crm.mailings.seeds",),
    erase_hooks=("crm.mailings.privacy:erase_mailing_data",),
    receivers=("crm.mailings.receivers",),
    nav=(("secretariat", _l("Mailings"), "mailings.mailing_list"),),
)
