"""Forms of the mailings feature: they validate and never save."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
    validators,
)

from crm import vocabulary
from crm.forms import strip
from crm.mailings import segments
from crm.mailings.models import MailingList, Segment
from crm.mailings.services import MERGE_FIELDS, merge_field_error

FIELDS_HELP = "Merge fields: " + ", ".join(f"{{{{ {name} }}}} ({meaning})" for name, meaning in MERGE_FIELDS.items()) + "."


class MailingListForm(FlaskForm):
    """A new mailing list."""

    name = StringField("Name", filters=[strip], validators=[
        validators.InputRequired(message="Give the list a name."), validators.Length(max=120)],
        description="What subscribers see, e.g. “Regional workshops”.")
    description = StringField("Description", filters=[strip], validators=[validators.Length(max=300)],
                              description="One sentence on what the list sends.")

    def validate_name(self, field):
        taken = MailingList.select().where(MailingList.name == field.data).exists()
        if taken:
            raise ValidationError(f"A list called “{field.data}” already exists: choose another name.")


class SubscribeForm(FlaskForm):
    """Staff subscribing contacts to a list by email address."""

    emails = TextAreaField("Email addresses", validators=[validators.InputRequired(message="Paste at least one address.")],
                           description="One a line. Contacts who unsubscribed are not put back.")


SEGMENT_PREFIX = "segment-"


class MailingForm(FlaskForm):
    """Subject and Markdown body of a mailing, to one list or one segment."""

    mailing_list = SelectField("To", validate_choice=True,
                               validators=[validators.InputRequired(message="Choose a list or a segment.")],
                               description="A list (its subscribers) or a segment (those of its contacts who get "
                                           "the segment's list). Consent, do-not-contact, unsubscribes and bounces "
                                           "always apply.")
    language = SelectField("Language of this text", default="en", validate_choice=True,
                           description="The default version: recipients get it unless a version in their language "
                                       "is added (their own language, else their city's first language).")
    subject = StringField("Subject", filters=[strip], validators=[
        validators.InputRequired(message="Write a subject."), validators.Length(max=200)],
        description="Merge fields work here too.")
    body = TextAreaField("Message", validators=[validators.InputRequired(message="Write the message.")],
                         description="Markdown: **bold**, *italic*, [link](https://…), lists. " + FIELDS_HELP,
                         render_kw={"rows": 14})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = list(vocabulary.languages().items())
        lists = [(str(found.id), found.name) for found in MailingList.select().order_by(MailingList.name)]
        chosen = [(f"{SEGMENT_PREFIX}{found.id}", f"{found.name} (segment of {found.mailing_list.name})")
                  for found in Segment.select(Segment, MailingList).join(MailingList).order_by(Segment.name)]
        self.mailing_list.choices = {"Lists": lists, "Segments": chosen} if chosen else lists

    def audience(self) -> tuple[MailingList | None, Segment | None]:
        """Return the list or the segment chosen (after validation)."""
        value = self.mailing_list.data or ""
        if value.startswith(SEGMENT_PREFIX):
            return None, Segment.get_by_id(int(value[len(SEGMENT_PREFIX):]))
        return MailingList.get_by_id(int(value)), None

    def validate_subject(self, field):
        problem = merge_field_error(field.data)
        if problem:
            raise ValidationError(problem)

    def validate_body(self, field):
        problem = merge_field_error(field.data)
        if problem:
            raise ValidationError(problem)


class VersionForm(FlaskForm):
    """The mailing in one more language: subject and body."""

    language = SelectField("Language", validate_choice=True,
                           description="Recipients whose own language (or else their city's first) is this one get "
                                       "this version.")
    subject = StringField("Subject", filters=[strip], validators=[
        validators.InputRequired(message="Write a subject."), validators.Length(max=200)])
    body = TextAreaField("Message", validators=[validators.InputRequired(message="Write the message.")],
                         description="Markdown, with the same merge fields. " + FIELDS_HELP, render_kw={"rows": 14})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = list(vocabulary.languages().items())

    def validate_subject(self, field):
        problem = merge_field_error(field.data)
        if problem:
            raise ValidationError(problem)

    def validate_body(self, field):
        problem = merge_field_error(field.data)
        if problem:
            raise ValidationError(problem)


class SegmentForm(FlaskForm):
    """A segment: a name, the list whose consent it uses, and the filters (all optional, combined with AND)."""

    name = StringField("Name", filters=[strip], validators=[
        validators.InputRequired(message="Give the segment a name."), validators.Length(max=120)],
        description="What staff see when they choose whom to send to, e.g. “European police contacts”.")
    mailing_list = SelectField("Sent under the list", coerce=int, validate_choice=True,
                               description="Only the segment's contacts who get this list (their consent) receive "
                                           "its mailings, and its unsubscribe link leaves this list.")
    regions = SelectMultipleField("Region of the city", description="Any of these regions.")
    statuses = SelectMultipleField("Status of the city", description="Any of these membership statuses.")
    sectors = SelectMultipleField("Sector", description="Any of these sectors.")
    languages = SelectMultipleField("Language", description="Speaks any of these (the contact's languages, or "
                                                            "else their city's).")
    expertise = SelectMultipleField("City expertise", description="The city has any of these themes.")
    attended_last_year = BooleanField("Attended an event in the last year",
                                      description="Checked in at an event that started in the last 365 days.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mailing_list.choices = [(found.id, found.name) for found in MailingList.select().order_by(MailingList.name)]
        for key, values in segments.choices().items():
            getattr(self, key).choices = list(values.items())

    def filters(self) -> dict:
        """Return the chosen filters."""
        return {key: getattr(self, key).data for key in segments.choices()} | {
            "attended_last_year": self.attended_last_year.data}


class ConfirmForm(FlaskForm):
    """The confirmation before a mailing is queued (CSRF only)."""


class SendForm(FlaskForm):
    """Send now, or at a time (UTC) when `crm mailings send` queues it."""

    schedule_at = DateTimeLocalField("Or schedule for (UTC)", format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                                     validators=[validators.Optional()],
                                     description="Leave empty to send now. Times are UTC, e.g. 2026-12-24 09:00.")


class PreferencesForm(FlaskForm):
    """A contact's choice of lists (the ticked ``lists`` values are read from the request) or stop all."""

    stop_all = BooleanField("Stop all mail from the network", description="You will get no mailing at all.")
