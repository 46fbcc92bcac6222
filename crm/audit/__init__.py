"""The audit log: an append-only record of every change made by staff and admins."""

from flask import Blueprint

from crm.features import Feature

bp = Blueprint("audit", __name__, url_prefix="/audit")

feature = Feature("audit", receivers=("crm.audit.services",))
