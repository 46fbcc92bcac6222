"""Forms of the mailings feature: they validate and never save."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
    validators,
)

from crm.forms import strip
from crm.mailings.models import MailingList
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


class MailingForm(FlaskForm):
    """Subject and Markdown body of a mailing, to one list."""

    mailing_list = SelectField("List", coerce=int, validate_choice=True,
                               description="Who gets it: the list's subscribers who consent and can be reached.")
    subject = StringField("Subject", filters=[strip], validators=[
        validators.InputRequired(message="Write a subject."), validators.Length(max=200)],
        description="Merge fields work here too.")
    body = TextAreaField("Message", validators=[validators.InputRequired(message="Write the message.")],
                         description="Markdown: **bold**, *italic*, [link](https://…), lists. " + FIELDS_HELP,
                         render_kw={"rows": 14})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mailing_list.choices = [(found.id, found.name) for found in
                                     MailingList.select().order_by(MailingList.name)]

    def validate_subject(self, field):
        problem = merge_field_error(field.data)
        if problem:
            raise ValidationError(problem)

    def validate_body(self, field):
        problem = merge_field_error(field.data)
        if problem:
            raise ValidationError(problem)


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
