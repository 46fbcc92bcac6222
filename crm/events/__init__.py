"""Events and workshops: plan, invite, register with capacity and a waiting list, remind, check in, report."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from crm.features import Feature

bp = Blueprint("events", __name__, url_prefix="/events")

feature = Feature(
    "events",
    cli=("crm.events.commands:events_group",),
    erase_hooks=("crm.events.privacy:erase_event_data",),
    receivers=("crm.events.receivers",),
    nav=(("public", _l("Events"), "events.event_list"),
         ("member", _l("Events"), "events.event_list"),
         ("secretariat", _l("Events"), "events.event_list")),
)


@bp.record_once
def _template_helpers(state):
    """Let other features' pages include the event history snippets."""
    from crm.events.reports import city_event_participation, contact_event_history

    state.app.jinja_env.globals.update(contact_event_history=contact_event_history,
                                       city_event_participation=city_event_participation)
