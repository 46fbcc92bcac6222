"""The home page: a public welcome, the secretariat's dashboard, or a member city's home."""

from flask import Blueprint

from crm.features import Feature

bp = Blueprint("main", __name__)

feature = Feature("main", panels=("crm.main.services",))
