"""Forms of incidents and of the facet vocabulary."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField, validators

from crm.forms import choices, strip
from crm.incidents.models import FACETS, INCIDENT_VISIBILITIES
from crm.peers.language import WrittenLanguageField


class IncidentForm(FlaskForm):
    """Record or edit an incident in a city's history."""

    title = StringField(_l("Title"), [validators.InputRequired(message=_l("Give the incident a title.")),
                                  validators.Length(max=300)], filters=[strip],
                        description=_l("A neutral title, e.g. “Shooting at a mosque, March 2019”. No perpetrator names."))
    language = WrittenLanguageField(_l("Language"),
                           description=_l("The language the incident is written in. Left on "
                                          "“Detect from the text”, it is read from what you wrote."))
    occurred_on = DateField(_l("Date"), [validators.Optional()], description=_l("The day it happened (YYYY-MM-DD)."))
    summary = TextAreaField(_l("Summary"), [validators.Length(max=20000)],
                            description=_l("What happened, in neutral words. Any language."))
    attack = SelectMultipleField(_l("Kind of attack"), description=_l("Choose all that apply."))
    target = SelectMultipleField(_l("Target"), description=_l("Who or what was targeted."))
    motive = SelectMultipleField(_l("Motive"), description=_l("As established, or “unclear or mixed”."))
    aftermath = SelectMultipleField(_l("Aftermath"), description=_l("What followed in the city."))
    scale = StringField(_l("Scale"), [validators.Optional(), validators.Length(max=200)], filters=[strip],
                        description=_l("Optional, e.g. “51 killed, 40 injured”."))
    response = TextAreaField(_l("How the city responded"), [validators.Length(max=20000)],
                             description=_l("What the city did, and with whom."))
    visibility = SelectField(_l("Who may see it"), choices=choices(INCIDENT_VISIBILITIES),
                             description=_l("Network members only (the default), or everyone."))

    def set_vocabulary(self, terms: dict[str, dict[str, str]]) -> None:
        """Fill the facet menus from the controlled vocabulary."""
        for facet in FACETS:
            getattr(self, facet).choices = choices(terms.get(facet, {}))

    def values(self) -> dict:
        return {"title": self.title.data, "occurred_on": self.occurred_on.data, "summary": self.summary.data,
                "scale": self.scale.data or "", "response": self.response.data, "visibility": self.visibility.data,
                "language": self.language.data or "", "facets": {facet: getattr(self, facet).data or [] for facet in FACETS}}


class FacetTermForm(FlaskForm):
    """Add a value to the controlled vocabulary of a facet."""

    facet = SelectField(_l("Facet"), choices=choices(FACETS), description=_l("Which facet the new value belongs to."))
    label = StringField(_l("Label"), [validators.InputRequired(message=_l("Give the new value a label.")),
                                  validators.Length(max=120)], filters=[strip],
                        description=_l("As people will read it, e.g. “Drone attack”."))
