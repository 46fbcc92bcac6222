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

        from crm.incidents.services import can_edit, list_incidents
        from crm.lessons.services import visible_lessons

        public_only = not current_user.is_authenticated
        return {"incidents": list(list_incidents(city_id=city.id, public_only=public_only).limit(50)),
                "lessons": list(visible_lessons(current_user, status=None, city_id=city.id).limit(50)),
                "can_edit": can_edit(current_user, city)}

    return {"city_history": city_history}
