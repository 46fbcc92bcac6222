"""Forms of the anniversaries calendar: they validate and never save."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectMultipleField, validators


class DraftForm(FlaskForm):
    """Draft a solidarity mailing for one anniversary, to the chosen peer cities."""

    incident = IntegerField(_l("Incident"), validators=[validators.InputRequired()],
                            description=_l("The incident whose anniversary it is."))
    years = IntegerField(_l("Years"), validators=[validators.InputRequired(), validators.NumberRange(min=1, max=500)],
                         description=_l("Which anniversary: 1 for the first."))
    peers = SelectMultipleField(_l("Peer cities to write to"), coerce=int,
                                validators=[validators.InputRequired(message=_l("Choose at least one peer city to write to."))],
                                description=_l("Their focal points and mayors get the draft, once you send it."))


class FeedForm(FlaskForm):
    """Make, renew or revoke one's calendar feed link (a button: the CSRF token is the whole form)."""
