"""Dashboard panel: urgent advice requests not answered in time."""

from __future__ import annotations

from crm.features import panel


@panel
def _overdue_advice():
    from crm.workspace.services import advice_queue, overdue_urgent

    return {"title": "Advice requests", "template": "workspace/_panel_advice.html",
            "data": {"overdue": list(overdue_urgent().limit(10)), "open": advice_queue("open").count()}}
