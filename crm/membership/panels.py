"""The secretariat dashboard's membership panels."""

from __future__ import annotations

from flask import g
from flask_babel import gettext as _

from crm import vocabulary
from crm.db import utcnow
from crm.features import panel
from crm.membership import services
from crm.membership.models import CITY_STATUSES


def _figures() -> dict:
    """Return the membership figures, computed once per request for the three panels that show them."""
    if "membership_figures" not in g:
        g.membership_figures = services.dashboard_figures()
    return g.membership_figures


@panel
def _pending_applications():
    figures = _figures()
    oldest = figures["oldest"]
    waiting = (utcnow() - oldest.submitted_at).days if oldest else None
    return {"title": _("Membership applications"), "template": "membership/_panel_applications.html",
            "data": {"pending": figures["pending"], "info_requested": figures["info_requested"],
                     "oldest": oldest, "waiting_days": waiting}}


@panel
def _members():
    figures = _figures()
    regions = vocabulary.regions()
    by_region = sorted(((regions.get(k, k or _("No region")), n) for k, n in figures["by_region"].items()),
                       key=lambda p: -p[1])
    by_status = [(label, figures["by_status"].get(key, 0)) for key, label in CITY_STATUSES.items()]
    return {"title": _("Member cities"), "template": "membership/_panel_members.html",
            "data": {"by_region": by_region, "by_status": by_status}}


@panel
def _new_members_chart():
    by_year = _figures()["by_year"]
    bars = []
    if by_year:
        years = list(range(min(by_year), max(by_year) + 1))
        top = max(by_year.values())
        width = 300 / max(len(years), 1)
        for i, year in enumerate(years):
            n = by_year.get(year, 0)
            height = round(120 * n / top) if top else 0
            bars.append({"year": year, "n": n, "x": round(i * width + 2, 1), "w": round(max(width - 4, 2), 1),
                         "y": 130 - height, "h": height})
    return {"title": _("New members per year"), "template": "membership/_panel_chart.html", "data": {"bars": bars}}
