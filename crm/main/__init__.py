"""The home page: a public welcome, the secretariat's dashboard, or a member city's home."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from crm.main import views  # noqa: E402,F401
