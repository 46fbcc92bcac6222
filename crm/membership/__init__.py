"""Membership: public application and directory, the review queue, member cities and their lifecycle."""

from flask import Blueprint

from crm.features import Feature

bp = Blueprint("membership", __name__)

feature = Feature(
    "membership",
    blueprint="crm.membership.views:bp",
    models=("crm.membership.models",),
    cli_imports=("crm.membership.commands:import_cities_command",),
    index=("crm.membership.index",),
    seeds=("crm.membership.seeds",),
    panels=("crm.membership.panels",),
    export_hooks=("crm.membership.privacy:export_applications",),
    erase_hooks=("crm.membership.privacy:erase_applications",),
    nav=(("public", "Member cities", "membership.directory"),
         ("public", "Apply", "membership.apply"),
         ("secretariat", "Applications", "membership.application_list"),
         ("secretariat", "Cities", "membership.city_list"),
         ("member", "Member cities", "membership.city_list")),
)
