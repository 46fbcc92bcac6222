"""The dashboard panel: anniversaries of the next 60 days."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from crm.anniversaries.services import upcoming
from crm.features import panel

PANEL_DAYS = 60


@panel
def _upcoming_anniversaries():
    found = upcoming(current_user, days=PANEL_DAYS)
    return {"title": _("Anniversaries, next %(days)s days", days=PANEL_DAYS), "template": "anniversaries/_panel_upcoming.html",
            "data": {"anniversaries": found[:12], "more": max(0, len(found) - 12), "days": PANEL_DAYS}}
