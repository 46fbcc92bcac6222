"""The mail outbox as the secretariat sees it: queued, sent and failed mails."""

from flask import Blueprint

bp = Blueprint("outbox", __name__, url_prefix="/outbox")

from crm.outbox import views  # noqa: E402,F401
