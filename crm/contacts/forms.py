"""Forms of the contacts feature."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    validators,
)

from crm import vocabulary
from crm.contacts.models import CITY_ROLES
from crm.forms import choices, email_field_validators
from crm.i18n import LANGUAGES
from crm.membership.models import City


def _text(label, description, *, required=None, max_length=200, field=StringField):
    checks = [validators.InputRequired(message=required) if required else validators.Optional(),
              validators.Length(max=max_length, message=_l("Use at most %(count)s characters.", count=max_length))]
    return field(label, validators=checks, description=description)


class ContactForm(FlaskForm):
    """Create or edit a contact."""

    name = _text(_l("Name"), _l("First name and family name."), required=_l("Enter the person's name."))
    email = EmailField(_l("Email"), validators=email_field_validators(required=False),
                       description=_l("Unique: one person, one record."))
    position = _text(_l("Position"), _l("e.g. Deputy mayor, Police liaison officer."))
    organisation = _text(_l("Organisation"), _l("Where the person works."))
    sector = SelectField(_l("Sector"), description=_l("The kind of organisation."))
    city = SelectField(_l("City"), description=_l("The member city the person belongs to, if any."))
    city_role = SelectField(_l("Role for the city"), description=_l("Focal points get the city's network mail."))
    phone = _text(_l("Phone"), _l("With the country code."), max_length=60)
    languages = SelectMultipleField(_l("Languages"), description=_l("Languages the person works in."))
    tags = _text(_l("Tags"), _l("Separated by ;, e.g. expert pool; speaker."), max_length=500)
    notes = _text(_l("Notes"), _l("Context for colleagues; no sensitive personal data."), max_length=10_000, field=TextAreaField)
    accepts_event_invitations = BooleanField(_l("Accepts event invitations"), default=True,
                                             description=_l("Untick if the person asked not to be invited."))
    accepts_network_news = BooleanField(_l("Accepts network news"), default=True,
                                        description=_l("Newsletters and announcements."))
    do_not_contact = BooleanField(_l("Do not contact"), description=_l("Overrides everything: no mail at all."))
    language = SelectField(_l("Mail language"), default="", description=_l(
        "The language the network writes to this person in. Not set: their city's first language, else English."))
    confirm_duplicate = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sector.choices = choices(vocabulary.sectors())
        cities = [(str(c.id), f"{c.name} ({c.country})") for c in City.select(City.id, City.name, City.country)
                  .order_by(City.name_key)]
        self.city.choices = choices([("", _l("No city"))] + cities)
        self.city_role.choices = choices(CITY_ROLES)
        self.languages.choices = choices(vocabulary.languages())
        # each interface language by its own name, as its reader looks for it
        self.language.choices = [("", _l("Not set"))] + list(LANGUAGES.items())

    def values(self) -> dict:
        data = {f.name: f.data for f in self if f.name not in ("csrf_token", "confirm_duplicate")}
        data["city"] = int(data["city"]) if data.get("city") else None
        data["tags"] = [t.strip() for t in (data.get("tags") or "").split(";") if t.strip()]
        return data


class EraseForm(FlaskForm):
    confirm = BooleanField(_l("I understand this cannot be undone"),
                           description=_l("Name, email, phone, position, notes, languages and tags are removed for good."),
                           validators=[validators.DataRequired(message=_l("Tick the box to confirm."))])


class BulkContactForm(FlaskForm):
    """An action on the contacts ticked in the list, or on all those the list's filters match."""

    action = SelectField(_l("Action"), description=_l("What to do with the chosen contacts."))
    tag = StringField(_l("Tag to add or remove"), validators=[validators.Optional(), validators.Length(max=60, message=_l("Use at most %(count)s characters.", count=60))],
                      description=_l("The tag to add or remove."))
    mailing_list = SelectField(_l("Mailing list"), description=_l("People who unsubscribed are never put back."),
                               validate_choice=False)  # checked by validate_mailing_list, only when it is used
    event = SelectField(_l("Event"), description=_l("Its invitation page opens with the chosen contacts ticked."),
                        validate_choice=False)  # checked by validate_event, only when it is used
    all_matching = BooleanField(_l("Apply to every contact the filters match, not only the ticked ones"))
    confirmed = HiddenField()

    def __init__(self, *args, lists=(), actions=None, events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.action.choices = choices(actions or {})
        self.mailing_list.choices = choices([("", _l("Choose a list"))] + [(str(i), name) for i, name in lists])
        self.event.choices = choices([("", _l("Choose an event"))] + [(str(i), label) for i, label in events])

    def validate_tag(self, field):
        if self.action.data in ("add_tag", "remove_tag") and not (field.data or "").strip():
            raise validators.ValidationError(_l("Enter the tag to add or remove."))

    def validate_mailing_list(self, field):
        if self.action.data == "subscribe" and field.data not in {c.value for c in field.choices if c.value}:
            raise validators.ValidationError(_l("Choose the mailing list."))

    def validate_event(self, field):
        if self.action.data == "invite" and field.data not in {c.value for c in field.choices if c.value}:
            raise validators.ValidationError(_l("Choose the event to invite them to."))
