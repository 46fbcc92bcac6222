"""Forms of incidents and of the facet vocabulary."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField, validators

from crm.forms import choices, strip
from crm.incidents.models import FACETS, INCIDENT_VISIBILITIES


class IncidentForm(FlaskForm):
    """Record or edit an incident in a city's history."""

    title = StringField("Title", [validators.InputRequired(message="Give the incident a title."),
                                  validators.Length(max=300)], filters=[strip],
                        description="A neutral title, e.g. “Shooting at a mosque, March 2019”. No perpetrator names.")
    occurred_on = DateField("Date", [validators.Optional()], description="The day it happened (YYYY-MM-DD).")
    summary = TextAreaField("Summary", [validators.Length(max=20000)],
                            description="What happened, in neutral words. Any language.")
    attack = SelectMultipleField("Kind of attack", description="Choose all that apply.")
    target = SelectMultipleField("Target", description="Who or what was targeted.")
    motive = SelectMultipleField("Motive", description="As established, or “unclear or mixed”.")
    aftermath = SelectMultipleField("Aftermath", description="What followed in the city.")
    scale = StringField("Scale", [validators.Optional(), validators.Length(max=200)], filters=[strip],
                        description="Optional, e.g. “51 killed, 40 injured”.")
    response = TextAreaField("How the city responded", [validators.Length(max=20000)],
                             description="What the city did, and with whom.")
    visibility = SelectField("Who may see it", choices=choices(INCIDENT_VISIBILITIES),
                             description="Network members only (the default), or everyone.")

    def set_vocabulary(self, terms: dict[str, dict[str, str]]) -> None:
        """Fill the facet menus from the controlled vocabulary."""
        for facet in FACETS:
            getattr(self, facet).choices = choices(terms.get(facet, {}))

    def values(self) -> dict:
        return {"title": self.title.data, "occurred_on": self.occurred_on.data, "summary": self.summary.data,
                "scale": self.scale.data or "", "response": self.response.data, "visibility": self.visibility.data,
                "facets": {facet: getattr(self, facet).data or [] for facet in FACETS}}


class FacetTermForm(FlaskForm):
    """Add a value to the controlled vocabulary of a facet."""

    facet = SelectField("Facet", choices=choices(FACETS), description="Which facet the new value belongs to.")
    label = StringField("Label", [validators.InputRequired(message="Give the new value a label."),
                                  validators.Length(max=120)], filters=[strip],
                        description="As people will read it, e.g. “Drone attack”.")
