"""Anniversaries of member cities' attacks: a calendar for the secretariat, its iCal feed and a dashboard panel."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from crm.features import Feature

bp = Blueprint("anniversaries", __name__, url_prefix="/anniversaries")

feature = Feature(
    "anniversaries",
    nav=(("secretariat", _l("Anniversaries"), "anniversaries.calendar"),),
)
