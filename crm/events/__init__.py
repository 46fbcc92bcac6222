"""Events and workshops: plan, invite, register with capacity and a waiting list, remind, check in, report."""

from flask import Blueprint

from crm.templating import register_nav

bp = Blueprint("events", __name__, url_prefix="/events")

register_nav("public", "Events", "events.event_list")
register_nav("member", "Events", "events.event_list")
register_nav("secretariat", "Events", "events.event_list")

from crm.events import panels, views  # noqa: E402,F401


@bp.record_once
def _template_helpers(state):
    """Let other features' pages include the event history snippets."""
    from crm.events.services import city_event_participation, contact_event_history

    state.app.jinja_env.globals.update(contact_event_history=contact_event_history,
                                       city_event_participation=city_event_participation)


@bp.record_once
def _privacy_hooks(state):
    """Clear registration details when the contacts feature erases a person."""
    from crm.events import privacy

    privacy.install()
