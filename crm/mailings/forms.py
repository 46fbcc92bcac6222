"""Forms of the mailings feature: they validate and never save."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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


def _fields_help() -> str:
    """Say the merge fields and what each holds, in the page's language."""
    return _("Merge fields: %(fields)s.", fields=", ".join(f"{{{{ {name} }}}} ({meaning})"
                                                          for name, meaning in MERGE_FIELDS.items()))


FIELDS_HELP = LazyString(_fields_help)


class MailingListForm(FlaskForm):
    """A new mailing list."""

    name = StringField(_l("Name"), filters=[strip], validators=[
        validators.InputRequired(message=_l("Give the list a name.")), validators.Length(max=120)],
        description=_l("What subscribers see, e.g. “Regional workshops”."))
    description = StringField(_l("Description"), filters=[strip], validators=[validators.Length(max=300)],
                              description=_l("One sentence on what the list sends."))

    def validate_name(self, field):
        taken = MailingList.select().where(MailingList.name == field.data).exists()
        if taken:
            raise ValidationError(_("A list called “%(name)s” already exists: choose another name.", name=field.data))


class SubscribeForm(FlaskForm):
    """Staff subscribing contacts to a list by email address."""

    emails = TextAreaField(_l("Email addresses"),
                           validators=[validators.InputRequired(message=_l("Paste at least one address."))],
                           description=_l("One a line. Contacts who unsubscribed are not put back."))


SEGMENT_PREFIX = "segment-"


class MailingForm(FlaskForm):
    """Subject and Markdown body of a mailing, to one list or one segment."""

    mailing_list = SelectField(_l("To"), validate_choice=True,
                               validators=[validators.InputRequired(message=_l("Choose a list or a segment."))],
                               description=_l("A list (its subscribers) or a segment (those of its contacts who get "
                                              "the segment's list). Consent, do-not-contact, unsubscribes and bounces "
                                              "always apply."))
    language = SelectField(_l("Language of this text"), default="en", validate_choice=True,
                           description=_l("The default version: recipients get it unless a version in their language "
                                          "is added (their own language, else their city's first language)."))
    subject = StringField(_l("Subject"), filters=[strip], validators=[
        validators.InputRequired(message=_l("Write a subject.")), validators.Length(max=200)],
        description=_l("Merge fields work here too."))
    body = TextAreaField(_l("Message"), validators=[validators.InputRequired(message=_l("Write the message."))],
                         description=_l("Markdown: **bold**, *italic*, [link](https://…), lists. %(fields)s",
                                        fields=FIELDS_HELP),
                         render_kw={"rows": 14})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = list(vocabulary.languages().items())
        lists = [(str(found.id), found.name) for found in MailingList.select().order_by(MailingList.name)]
        chosen = [(f"{SEGMENT_PREFIX}{found.id}",
                   _("%(segment)s (segment of %(list)s)", segment=found.name, list=found.mailing_list.name))
                  for found in Segment.select(Segment, MailingList).join(MailingList).order_by(Segment.name)]
        self.mailing_list.choices = {_("Lists"): lists, _("Segments"): chosen} if chosen else lists

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

    language = SelectField(_l("Language"), validate_choice=True,
                           description=_l("Recipients whose own language (or else their city's first) is this one "
                                          "get this version."))
    subject = StringField(_l("Subject"), filters=[strip], validators=[
        validators.InputRequired(message=_l("Write a subject.")), validators.Length(max=200)])
    body = TextAreaField(_l("Message"), validators=[validators.InputRequired(message=_l("Write the message."))],
                         description=_l("Markdown, with the same merge fields. %(fields)s", fields=FIELDS_HELP),
                         render_kw={"rows": 14})

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

    name = StringField(_l("Name"), filters=[strip], validators=[
        validators.InputRequired(message=_l("Give the segment a name.")), validators.Length(max=120)],
        description=_l("What staff see when they choose whom to send to, e.g. “European police contacts”."))
    mailing_list = SelectField(_l("Sent under the list"), coerce=int, validate_choice=True,
                               description=_l("Only the segment's contacts who get this list (their consent) receive "
                                              "its mailings, and its unsubscribe link leaves this list."))
    regions = SelectMultipleField(_l("Region of the city"), description=_l("Any of these regions."))
    statuses = SelectMultipleField(_l("Status of the city"), description=_l("Any of these membership statuses."))
    sectors = SelectMultipleField(_l("Sector"), description=_l("Any of these sectors."))
    languages = SelectMultipleField(_l("Language"), description=_l("Speaks any of these (the contact's languages, "
                                                                   "or else their city's)."))
    expertise = SelectMultipleField(_l("City expertise"), description=_l("The city has any of these themes."))
    attended_last_year = BooleanField(_l("Attended an event in the last year"),
                                      description=_l("Checked in at an event that started in the last 365 days."))

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

    schedule_at = DateTimeLocalField(_l("Or schedule for (UTC)"), format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                                     validators=[validators.Optional()],
                                     description=_l("Leave empty to send now. Times are UTC, e.g. 2026-12-24 09:00."))


class PreferencesForm(FlaskForm):
    """A contact's choice of lists (the ticked ``lists`` values are read from the request) or stop all."""

    stop_all = BooleanField(_l("Stop all mail from the network"), description=_l("You will get no mailing at all."))
