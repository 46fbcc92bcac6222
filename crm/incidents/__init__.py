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
