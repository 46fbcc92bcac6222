"""Incidents in member cities' histories and the controlled vocabulary of their facets."""

from flask import Blueprint

bp = Blueprint("incidents", __name__, url_prefix="/incidents")

from crm.incidents import views  # noqa: E402,F401


def _import_incident_summary(city, value):
    from crm.incidents.services import record_from_text

    record_from_text(city, value)


try:  # `crm import cities` accepts an optional incident_summary column
    from crm.membership.imports import CITY_IMPORT_EXTRA_COLUMNS

    CITY_IMPORT_EXTRA_COLUMNS["incident_summary"] = _import_incident_summary
except ImportError:  # the membership importer is not installed
    pass


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
