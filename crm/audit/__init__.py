"""The audit log: an append-only record of every change made by staff and admins."""

from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/audit")

from crm.audit import views  # noqa: E402,F401
