"""Membership: public application and directory, the review queue, member cities and their lifecycle."""

from flask import Blueprint

from crm.templating import register_nav

bp = Blueprint("membership", __name__)

register_nav("public", "Member cities", "membership.directory")
register_nav("public", "Apply", "membership.apply")
register_nav("secretariat", "Applications", "membership.application_list")
register_nav("secretariat", "Cities", "membership.city_list")
register_nav("member", "Member cities", "membership.city_list")

from crm.membership import panels, privacy, views  # noqa: E402,F401

bp.record_once(lambda state: privacy.install())  # once the app is built: contacts import membership models
