"""Forms of the contacts feature."""

from __future__ import annotations

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
from crm.membership.models import City


def _text(label, description, *, required=None, max_length=200, field=StringField):
    checks = [validators.InputRequired(message=required) if required else validators.Optional(),
              validators.Length(max=max_length, message=f"Use at most {max_length} characters.")]
    return field(label, validators=checks, description=description)


class ContactForm(FlaskForm):
    """Create or edit a contact."""

    name = _text("Name", "First name and family name.", required="Enter the person's name.")
    email = EmailField("Email", validators=email_field_validators(required=False),
                       description="Unique: one person, one record.")
    position = _text("Position", "e.g. Deputy mayor, Police liaison officer.")
    organisation = _text("Organisation", "Where the person works.")
    sector = SelectField("Sector", description="The kind of organisation.")
    city = SelectField("City", description="The member city the person belongs to, if any.")
    city_role = SelectField("Role for the city", description="Focal points get the city's network mail.")
    phone = _text("Phone", "With the country code.", max_length=60)
    languages = SelectMultipleField("Languages", description="Languages the person works in.")
    tags = _text("Tags", "Separated by ;, e.g. expert pool; speaker.", max_length=500)
    notes = _text("Notes", "Context for colleagues; no sensitive personal data.", max_length=10_000, field=TextAreaField)
    accepts_event_invitations = BooleanField("Accepts event invitations", default=True,
                                             description="Untick if the person asked not to be invited.")
    accepts_network_news = BooleanField("Accepts network news", default=True,
                                        description="Newsletters and announcements.")
    do_not_contact = BooleanField("Do not contact", description="Overrides everything: no mail at all.")
    confirm_duplicate = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sector.choices = choices(vocabulary.sectors())
        cities = [(str(c.id), f"{c.name} ({c.country})") for c in City.select(City.id, City.name, City.country)
                  .order_by(City.name_key)]
        self.city.choices = choices([("", "No city")] + cities)
        self.city_role.choices = choices(CITY_ROLES)
        self.languages.choices = choices(vocabulary.languages())

    def values(self) -> dict:
        data = {f.name: f.data for f in self if f.name not in ("csrf_token", "confirm_duplicate")}
        data["city"] = int(data["city"]) if data.get("city") else None
        data["tags"] = [t.strip() for t in (data.get("tags") or "").split(";") if t.strip()]
        return data


class EraseForm(FlaskForm):
    confirm = BooleanField("I understand this cannot be undone",
                           description="Name, email, phone, position, notes, languages and tags are removed for good.",
                           validators=[validators.DataRequired(message="Tick the box to confirm.")])


class BulkContactForm(FlaskForm):
    """An action on the contacts ticked in the list, or on all those the list's filters match."""

    action = SelectField("Action", description="What to do with the chosen contacts.")
    tag = StringField("Tag to add or remove", validators=[validators.Optional(), validators.Length(max=60, message="Use at most 60 characters.")],
                      description="The tag to add or remove.")
    mailing_list = SelectField("Mailing list", description="People who unsubscribed are never put back.",
                               validate_choice=False)  # checked by validate_mailing_list, only when it is used
    all_matching = BooleanField("Apply to every contact the filters match, not only the ticked ones")
    confirmed = HiddenField()

    def __init__(self, *args, lists=(), actions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.action.choices = choices(actions or {})
        self.mailing_list.choices = choices([("", "Choose a list")] + [(str(i), name) for i, name in lists])

    def validate_tag(self, field):
        if self.action.data in ("add_tag", "remove_tag") and not (field.data or "").strip():
            raise validators.ValidationError("Enter the tag to add or remove.")

    def validate_mailing_list(self, field):
        if self.action.data == "subscribe" and field.data not in {c.value for c in field.choices if c.value}:
            raise validators.ValidationError("Choose the mailing list.")
