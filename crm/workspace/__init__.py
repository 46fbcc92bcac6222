"""The incident workspace of a member city: peers, lessons, the toolkit checklist and advice requests."""

from flask import Blueprint

from crm.templating import register_nav

bp = Blueprint("workspace", __name__, url_prefix="/workspace")

register_nav("member", "Incident workspace", "workspace.workspace_list")
register_nav("secretariat", "Advice requests", "workspace.advice_queue")

from crm.workspace import commands, panels, privacy, views  # noqa: E402,F401

bp.record_once(lambda state: privacy.install())
