"""Membership: public application and directory, the review queue, member cities and their lifecycle."""

from flask import Blueprint

from crm.features import Feature

bp = Blueprint("membership", __name__)

feature = Feature(
    "membership",
    cli_imports=("crm.membership.commands:import_cities_command",),
    web_imports={"cities": "crm.membership.imports"},
    export_hooks=("crm.membership.privacy:export_applications",),
    erase_hooks=("crm.membership.privacy:erase_applications",),
    nav=(("public", "Member cities", "membership.directory"),
         ("public", "Apply", "membership.apply"),
         ("secretariat", "Applications", "membership.application_list"),
         ("secretariat", "Cities", "membership.city_list"),
         ("member", "Member cities", "membership.city_list")),
)
