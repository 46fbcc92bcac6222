"""The events panel of the secretariat's dashboard."""

from flask_babel import gettext as _

from crm.db import utcnow
from crm.events.models import PUBLISHED, Event
from crm.events.reports import upcoming_with_seats
from crm.features import member_panel, panel


@panel
def _upcoming_events():
    return {"title": _("Upcoming events"), "template": "events/_panel_upcoming.html", "data": upcoming_with_seats()}


@member_panel
def _my_events(user):
    """A member's home: the next events they may attend, with their registration where they have one."""
    from crm.events.models import Registration
    from crm.events.visibility import contact_for_user, visible_events

    events = list(visible_events(user).where(Event.status == PUBLISHED, Event.ends_at > utcnow()).limit(5))
    contact = contact_for_user(user)
    regs = {}
    if contact is not None and events:
        regs = {r.event_id: r for r in Registration.select().where(Registration.contact == contact,
                                                                   Registration.event.in_([e.id for e in events]))}
    return {"title": _("Upcoming events"), "template": "events/_home_events.html", "order": 2,
            "data": {"events": events, "registrations": regs}}
