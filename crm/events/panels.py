"""The events panel of the secretariat's dashboard."""

from crm.events.reports import upcoming_with_seats
from crm.features import panel


@panel
def _upcoming_events():
    return {"title": "Upcoming events", "template": "events/_panel_upcoming.html", "data": upcoming_with_seats()}
