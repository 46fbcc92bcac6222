"""Form helpers shared by every feature."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, validators

PASSWORD_MIN = 10


def email_field_validators(required: bool = True):
    """Return the validators of an email field (syntax only: no DNS lookups here)."""
    first = validators.InputRequired(message=_l("Enter an email address.")) if required else validators.Optional()
    return [first, validators.Length(max=254),
            validators.Email(message=_l("Enter a valid email address, like name@city.gov."), check_deliverability=False)]


def new_password_validators():
    """Return the validators of a new password."""
    return [validators.InputRequired(message=_l("Choose a password.")),
            validators.Length(min=PASSWORD_MIN, max=200,
                              message=_l("Use at least %(count)s characters (a short sentence works well).",
                                         count=PASSWORD_MIN))]


def choices(pairs) -> list[SelectChoice]:
    """Return select options from ``(value, label)`` pairs or a ``{value: label}`` mapping."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [SelectChoice(value, label) for value, label in items]


def strip(value):
    """A field filter removing surrounding whitespace (people paste addresses with spaces)."""
    return value.strip() if isinstance(value, str) else value
