"""The secretariat dashboard's panel: member cities gone quiet, to reach out to."""

from __future__ import annotations

from flask_babel import gettext as _

from crm.features import panel
from crm.journeys.services import dormant_cities, with_focal_points

PANEL_MONTHS = 12
PANEL_ROWS = 5


@panel
def _dormant_members():
    found = dormant_cities(PANEL_MONTHS)
    return {"title": _("Dormant members"), "template": "journeys/_panel_dormant.html",
            "data": {"dormant": with_focal_points(found[:PANEL_ROWS]), "count": len(found), "months": PANEL_MONTHS}}
