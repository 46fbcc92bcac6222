"""The mail outbox as the secretariat sees it: queued, sent and failed mails."""

from flask import Blueprint

from crm.features import Feature

bp = Blueprint("outbox", __name__, url_prefix="/outbox")

feature = Feature("outbox")
