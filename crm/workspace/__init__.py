"""The incident workspace of a member city: peers, lessons, the toolkit checklist and advice requests."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from crm.features import Feature

bp = Blueprint("workspace", __name__, url_prefix="/workspace")

feature = Feature(
    "workspace",
    cli=("crm.workspace.commands:advice_group",),
    export_hooks=("crm.workspace.privacy:export_advice",),
    erase_hooks=("crm.workspace.privacy:erase_advice",),
    nav=(("member", _l("Incident workspace"), "workspace.workspace_list"),
         ("secretariat", _l("Advice requests"), "workspace.advice_queue")),
)
