"""Dashboard panel: urgent advice requests not answered in time."""

from __future__ import annotations

from flask_babel import gettext as _

from crm.features import member_panel, panel


@panel
def _overdue_advice():
    from crm.workspace.services import advice_queue, overdue_urgent

    return {"title": _("Advice requests"), "template": "workspace/_panel_advice.html",
            "data": {"overdue": list(overdue_urgent().limit(10)), "open": advice_queue("open").count()}}


@member_panel
def _my_workspaces(user):
    """A member's home: their city's open workspaces, and the advice asked from them."""
    from crm.workspace.models import AdviceRequest, Workspace

    if not user.city_id:
        return None
    open_ = list(Workspace.select().where(Workspace.city == user.city_id, Workspace.status == "open")
                 .order_by(Workspace.updated_at.desc()).limit(5))
    asked = list(AdviceRequest.select(AdviceRequest, Workspace).join(Workspace)
                 .where(Workspace.city == user.city_id).order_by(AdviceRequest.id.desc()).limit(5))
    return {"title": _("Incident workspaces"), "template": "workspace/_home_workspaces.html", "order": 1,
            "data": {"open": open_, "asked": asked}}
