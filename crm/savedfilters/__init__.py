"""Saved filters ("smart groups", as CiviCRM calls them): staff name the filters of a list and reuse them."""

from flask import Blueprint

from crm.features import Feature

bp = Blueprint("savedfilters", __name__, url_prefix="/saved-filters")

feature = Feature("savedfilters")
