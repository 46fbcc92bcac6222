"""Forms of the incident workspace and of advice requests."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField, validators

from crm.forms import choices, email_field_validators, strip


class WorkspaceForm(FlaskForm):
    """Describe the incident the city is responding to."""

    title = StringField("Short title", [validators.Optional(), validators.Length(max=300)], filters=[strip],
                        description="For your own list, e.g. “Market attack, 3 May”. Optional.")
    description = TextAreaField("What happened", [validators.InputRequired(message="Describe what happened."),
                                                  validators.Length(max=20000)],
                                description="In your own words and language: the attack, the target, what you know "
                                            "of the motive, what is happening now.")
    phase = SelectField("Where you are now", description="The phase of the response you are in.")
    needs = TextAreaField("What you need help with", [validators.Length(max=5000)],
                          description="Optional, e.g. “advisers who speak French”, “organising a vigil safely”.")
    need_themes = SelectMultipleField("Themes you need help with", description="Optional.")
    attack = SelectMultipleField("Kind of attack", description="Optional: we also read it from the description.")
    target = SelectMultipleField("Target", description="Optional.")
    motive = SelectMultipleField("Motive", description="Optional.")
    aftermath = SelectMultipleField("Aftermath", description="Optional.")

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

    peer_city = SelectField("Peer city", [validators.InputRequired(message="Choose a peer city.")], description="The city whose experience you would like to hear.")
    message = TextAreaField("Message", [validators.InputRequired(message="Write a short message for the peer city."),
                                        validators.Length(max=5000)],
                            description="What you would like to ask them. The secretariat forwards it.")
    urgent = BooleanField("Urgent", description="We are in the first hours or days: the secretariat is alerted if no "
                                                "one answers in time.")


class ForwardForm(FlaskForm):
    """The secretariat forwards a request to the peer city's focal point."""

    to_email = StringField("Send to", email_field_validators(required=False), filters=[strip],
                           description="Leave empty to use the peer city's focal point.")
    note = TextAreaField("Note to the peer city", [validators.Length(max=5000)],
                         description="Optional context from the secretariat.")


class AnswerForm(FlaskForm):
    """The peer focal point's answer."""

    note = TextAreaField("Message", [validators.Length(max=5000)],
                         description="Optional: when you can talk, or why you decline.")
