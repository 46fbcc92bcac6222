"""Forms of the incident workspace and of advice requests."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField, validators

from crm.forms import choices, email_field_validators, strip


class WorkspaceForm(FlaskForm):
    """Describe the incident the city is responding to."""

    title = StringField(_l("Short title"), [validators.Optional(), validators.Length(max=300)], filters=[strip],
                        description=_l("For your own list, e.g. “Market attack, 3 May”. Optional."))
    description = TextAreaField(_l("What happened"), [validators.InputRequired(message=_l("Describe what happened.")),
                                                      validators.Length(max=20000)],
                                description=_l("In your own words and language: the attack, the target, what you "
                                               "know of the motive, what is happening now."))
    phase = SelectField(_l("Where you are now"), description=_l("The phase of the response you are in."))
    needs = TextAreaField(_l("What you need help with"), [validators.Length(max=5000)],
                          description=_l("Optional, e.g. “advisers who speak French”, “organising a vigil safely”."))
    need_themes = SelectMultipleField(_l("Themes you need help with"), description=_l("Optional."))
    attack = SelectMultipleField(_l("Kind of attack"), description=_l("Optional: we also read it from the description."))
    target = SelectMultipleField(_l("Target"), description=_l("Optional."))
    motive = SelectMultipleField(_l("Motive"), description=_l("Optional."))
    aftermath = SelectMultipleField(_l("Aftermath"), description=_l("Optional."))

    def set_choices(self, phases, themes, terms) -> None:
        self.phase.choices = choices(phases)
        self.need_themes.choices = choices(themes)
        for facet in ("attack", "target", "motive", "aftermath"):
            getattr(self, facet).choices = choices(terms.get(facet, {}))

    def values(self) -> dict:
        return {"title": self.title.data, "description": self.description.data, "phase": self.phase.data,
                "needs": self.needs.data or "", "need_themes": self.need_themes.data or [],
                "facets": {f: getattr(self, f).data or [] for f in ("attack", "target", "motive", "aftermath")}}


class AdviceForm(FlaskForm):
    """Ask the secretariat for an introduction to a peer city."""

    peer_city = SelectField(_l("Peer city"), [validators.InputRequired(message=_l("Choose a peer city."))],
                            description=_l("The city whose experience you would like to hear."))
    message = TextAreaField(_l("Message"), [validators.InputRequired(
                                message=_l("Write a short message for the peer city.")), validators.Length(max=5000)],
                            description=_l("What you would like to ask them. The secretariat forwards it."))
    urgent = BooleanField(_l("Urgent"), description=_l("We are in the first hours or days: the secretariat is alerted "
                                                       "if no one answers in time."))


class ForwardForm(FlaskForm):
    """The secretariat forwards a request to the peer city's focal point."""

    to_email = StringField(_l("Send to"), email_field_validators(required=False), filters=[strip],
                           description=_l("Leave empty to use the peer city's focal point."))
    note = TextAreaField(_l("Note to the peer city"), [validators.Length(max=5000)],
                         description=_l("Optional context from the secretariat."))


class AnswerForm(FlaskForm):
    """The peer focal point's answer."""

    note = TextAreaField(_l("Message"), [validators.Length(max=5000)],
                         description=_l("Optional: when you can talk, or why you decline."))
