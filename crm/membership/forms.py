"""Forms of the membership feature: the public application, the review actions, city editing."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
    validators,
)

from crm import vocabulary
from crm.core.csvimport import MODES, NotCSVText, decode_csv
from crm.core.names import resolve_country
from crm.forms import choices, email_field_validators
from crm.i18n import country_choices
from crm.membership.models import CITY_STATUSES


def _required(message):
    return validators.InputRequired(message=message)


def _text(label, description, *, required=None, max_length=200, field=StringField, **kwargs):
    checks = [_required(required) if required else validators.Optional(), validators.Length(
        max=max_length, message=_l("Use at most %(count)s characters.", count=max_length))]
    return field(label, validators=checks, description=description, **kwargs)


def _website_checks(required=False):
    return [(_required(_l("Enter the official website.")) if required else validators.Optional()),
            validators.Length(max=300),
            validators.URL(require_tld=True, message=_l("Enter a full address, like https://www.city.gov."))]


# The consent text shown beside the box, translated; services.CONSENT_TEXT (English) is what the
# application stores, and tests/test_i18n.py checks that the two say the same in English.
CONSENT_HELP = _l("I agree that the network's secretariat stores and processes the information in this form to "
                  "review the application and, if it is approved, to run the membership. The data is not shared "
                  "outside the network; we delete it on request.")


class ApplicationForm(FlaskForm):
    """The public membership application (no login); every text is translated when the page renders."""

    authority_name = _text(_l("Name of the local authority"), _l("As it is officially called, e.g. “City of Malmö”"
                           " or “Nairobi City County”."), required=_l("Enter the authority's name."))
    level = SelectField(_l("Level of government"),
                        description=_l("Only local and subnational authorities can be members."),
                        validators=[_required(_l("Choose the level."))])
    country = StringField(_l("Country"), description=_l("Start typing and choose the country from the list "
                          "(English name or two-letter code)."),
                          validators=[_required(_l("Choose the country.")), validators.Length(max=100)],
                          render_kw={"list": "country-options", "autocomplete": "off"})
    population = IntegerField(_l("Population"), description=_l("Approximate number of residents."),
                              validators=[validators.Optional(), validators.NumberRange(
                                  min=1, max=200_000_000,
                                  message=_l("Enter a number of residents between 1 and 200 million."))])
    website = URLField(_l("Official website"), description=_l("The authority's own site, starting with https://."),
                       validators=_website_checks(required=True))
    languages = SelectMultipleField(_l("Languages used"), description=_l("The languages your authority works in."),
                                    validators=[_required(_l("Choose at least one language."))])
    applicant_name = _text(_l("Your name"), _l("The person filling in this form."), required=_l("Enter your name."))
    applicant_position = _text(_l("Your position"), _l("e.g. Head of community safety."),
                               required=_l("Enter your position."))
    applicant_email = EmailField(_l("Your official email"), validators=email_field_validators(),
                                 description=_l("Your work address at the authority: we write to you here."))
    applicant_phone = _text(_l("Your phone"), _l("With the country code, e.g. +47 21 80 21 80."), max_length=60)
    leader_name = _text(_l("Mayor or elected leader"), _l("The name of the authority's mayor or elected leader."),
                        required=_l("Enter the name of the mayor or elected leader."))
    leader_position = _text(_l("Leader's title"), _l("e.g. Mayor, Governor, County executive."))
    focal_name = _text(_l("Proposed focal point"), _l("The official who will be the network's day-to-day contact, "
                       "if not you. Leave empty if it is you."))
    focal_position = _text(_l("Focal point's position"), _l("Only if the focal point is not you."))
    focal_email = EmailField(_l("Focal point's email"), validators=email_field_validators(required=False),
                             description=_l("The focal point is invited to the network's CRM at this address."))
    expertise = SelectMultipleField(_l("Areas of expertise and interest"),
                                    description=_l("What your authority can share or wants to learn."))
    expertise_other = _text(_l("Other areas"), _l("Anything the list does not cover."), max_length=500)
    incident_experience = _text(_l("Experience of incidents"), _l("Optional: attacks or hate incidents your authority "
                                "has responded to, in a few lines."), max_length=5000, field=TextAreaField)
    motivation = _text(_l("Why do you want to join?"), _l("What you hope to gain from and give to the network."),
                       required=_l("Tell us why you want to join."), max_length=5000, field=TextAreaField)
    consent = BooleanField(_l("I agree to the processing of this data"), description=CONSENT_HELP,
                           validators=[validators.DataRequired(
                               message=_l("We need your consent to process the application."))])
    nickname = StringField(_l("Leave this field empty"), description=_l("This field is for robots."))  # honeypot

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.level.choices = choices([("", gettext("Choose…"))] + list(vocabulary.levels().items()))
        self.languages.choices = choices(vocabulary.languages())
        self.expertise.choices = choices(vocabulary.themes())

    def validate_country(self, field):
        self.country_code = resolve_country(field.data)
        if self.country_code is None:
            raise validators.ValidationError(gettext("Choose the country from the list (or type its two-letter code)."))

    # Optional() ends a field's checks when it is empty, so each rule is checked on the field that is filled.
    def validate_focal_name(self, field):
        if field.data and not (self.focal_email.data or "").strip():
            raise validators.ValidationError(gettext("Give the focal point's email address too, or leave their name empty."))

    def validate_focal_email(self, field):
        if field.data and not (self.focal_name.data or "").strip():
            raise validators.ValidationError(gettext("Enter the focal point's name, or leave their email empty."))

    def values(self) -> dict:
        data = {name: self[name].data for name in (
            "authority_name", "level", "country", "population", "website", "languages", "applicant_name",
            "applicant_position", "applicant_email", "applicant_phone", "leader_name", "leader_position",
            "focal_name", "focal_position", "focal_email", "expertise", "expertise_other",
            "incident_experience", "motivation")}
        data["country"] = self.country_code
        return {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}


class AnswerForm(FlaskForm):
    answer = _text(_l("Your answer"), _l("Answer the secretariat's question; it goes back into the review queue."),
                   required=_l("Write your answer."), max_length=5000, field=TextAreaField)


class WithdrawForm(FlaskForm):
    reason = _text(_l("Reason (optional)"), _l("Tell us why, if you like."), max_length=2000, field=TextAreaField)
    confirm = BooleanField(_l("Yes, withdraw this application"),
                           description=_l("This cannot be undone; you may apply again later."),
                           validators=[validators.DataRequired(message=_l("Tick the box to confirm."))])


class DecisionForm(FlaskForm):
    note = _text(_l("Reason or question"), _l("Declining: the reason, mailed to the applicant. Asking for information: "
                 "the question, mailed to the applicant. Approving: an optional welcome note."),
                 max_length=5000, field=TextAreaField)


class CityForm(FlaskForm):
    """Edit a member city (the staff-only fields are removed for member users)."""

    name = _text(_l("Name"), _l("The authority's official name."), required=_l("Enter the name."))
    country = SelectField(_l("Country"), description=_l("ISO 3166 country."))
    region = SelectField(_l("Region"), description=_l("The network region that supports this city."))
    level = SelectField(_l("Level of government"), description=_l("City, municipality, county, province…"))
    joined_on = DateField(_l("Joined on"), validators=[validators.Optional()],
                          description=_l("Date membership began."))
    population = IntegerField(_l("Population"),
                              validators=[validators.Optional(), validators.NumberRange(min=1, max=200_000_000)],
                              description=_l("Approximate number of residents."))
    website = URLField(_l("Website"), validators=_website_checks(), description=_l("The official website."))
    languages = SelectMultipleField(_l("Languages"), description=_l("Languages the city works in."))
    expertise = SelectMultipleField(_l("Expertise"), description=_l("What the city can share with peers."))
    focal_point_available = BooleanField(_l("A focal point is available"), description=_l(
        "Untick when the city has no focal point at the moment."))

    STAFF_ONLY = ("name", "country", "region", "level", "joined_on")

    def __init__(self, *args, staff: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = choices(country_choices())
        self.region.choices = choices([("", "—")] + list(vocabulary.regions().items()))
        self.level.choices = choices(vocabulary.levels())
        self.languages.choices = choices(vocabulary.languages())
        self.expertise.choices = choices(vocabulary.themes())
        if not staff:
            for name in self.STAFF_ONLY:
                delattr(self, name)

    def values(self) -> dict:
        return {f.name: (f.data.strip() if isinstance(f.data, str) else f.data) for f in self
                if f.name != "csrf_token"}


class CityStatusForm(FlaskForm):
    status = SelectField(_l("New status"), description=_l("Active members take part; suspended ones are paused; "
                         "withdrawn ones have left."))
    reason = _text(_l("Reason"), _l("Kept in the membership history."), required=_l("Give the reason."),
                   max_length=2000, field=TextAreaField)
    changed_on = DateField(_l("Date of the change"), validators=[validators.Optional()],
                           description=_l("Leave empty for today."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = choices(CITY_STATUSES)


class ImportForm(FlaskForm):
    """Upload a CSV file (step 1), then confirm the checked preview (step 2: the text comes back hidden)."""

    upload = FileField(_l("CSV file"), description=_l("UTF-8, comma-separated, first line = column names."))
    csv_text = HiddenField()
    mode = SelectField(_l("Existing records"), description=_l("What to do with rows matching a record that exists."))
    only_valid = BooleanField(_l("Import only the valid rows"), description=_l("Rows with errors are left out."))

    def __init__(self, *args, default_mode="skip", **kwargs):
        super().__init__(*args, **kwargs)
        self.mode.choices = choices(MODES)
        if not self.mode.data:
            self.mode.data = default_mode

    def text(self) -> str | None:
        """Return the uploaded file's text; None, with an error on the field, when it is not CSV text."""
        if self.upload.data and hasattr(self.upload.data, "read"):
            try:
                return decode_csv(self.upload.data.read())
            except NotCSVText as exc:
                self.upload.errors = [str(exc)]
                return None
        self.upload.errors = [gettext("Choose a CSV file to upload.")]
        return None


class BulkCityForm(FlaskForm):
    """An action on the cities ticked in the list, or on all those the list's filters match."""

    action = SelectField(_l("Action"), description=_l("What to do with the chosen cities."))
    status = SelectField(_l("New status"), validate_choice=False,
                         description=_l("Each city's focal points are told by mail, as for a single change."))
    reason = StringField(_l("Reason for a status change"),
                         validators=[validators.Optional(), validators.Length(max=2000)],
                         description=_l("Kept in each city's membership history."))
    all_matching = BooleanField(_l("Apply to every city the filters match, not only the ticked ones"))
    confirmed = HiddenField()

    def __init__(self, *args, actions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.action.choices = choices(actions or {})
        self.status.choices = choices([("", gettext("Choose a status"))] + list(CITY_STATUSES.items()))

    def validate_status(self, field):
        if self.action.data == "status" and field.data not in CITY_STATUSES:
            raise validators.ValidationError(gettext("Choose the new status."))

    def validate_reason(self, field):
        if self.action.data == "status" and not (field.data or "").strip():
            raise validators.ValidationError(gettext("Give the reason for the change: it is kept in each city's history."))
