"""Incidents in member cities' histories and the controlled vocabulary of their facets."""

from flask import Blueprint

from crm.features import Feature

bp = Blueprint("incidents", __name__, url_prefix="/incidents")

feature = Feature(
    "incidents",
    # `crm import cities` (and the import page) accept an optional incident_summary column
    import_columns={("cities", "incident_summary"): "crm.incidents.services:record_from_text"},
)


@bp.app_context_processor
def _city_history():
    def city_history(city):
        """The incidents and lessons of a city that the current user may see (for the city page)."""
        from flask_login import current_user

        from crm.core import signals
        from crm.incidents.services import can_edit, list_incidents

        public_only = not current_user.is_authenticated
        history = {"incidents": list(list_incidents(city_id=city.id, public_only=public_only).limit(50)),
                   "lessons": [], "can_edit": can_edit(current_user, city)}
        for answer in signals.answers(signals.city_history, city, user=current_user):
            history.update(answer)  # the lessons feature adds the city's lessons
        return history

    return {"city_history": city_history}
