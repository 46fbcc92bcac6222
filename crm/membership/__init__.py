"""Membership: public application and directory, the review queue, member cities and their lifecycle."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from crm.features import Feature

bp = Blueprint("membership", __name__)

feature = Feature(
    "membership",
    cli_imports=("crm.membership.commands:import_cities_command",),
    web_imports={"cities": "crm.membership.imports"},
    export_hooks=("crm.membership.privacy:export_applications",),
    erase_hooks=("crm.membership.privacy:erase_applications",),
    nav=(("public", _l("Member cities"), "membership.directory"),
         ("public", _l("Apply"), "membership.apply"),
         ("secretariat", _l("Applications"), "membership.application_list"),
         ("secretariat", _l("Cities"), "membership.city_list"),
         ("member", _l("Member cities"), "membership.city_list")),
)
