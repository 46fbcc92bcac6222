"""Forms for signing in, resetting passwords and managing users."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
    validators,
)

from crm.accounts.models import ROLES
from crm.accounts.services import find_by_email
from crm.forms import choices, email_field_validators, new_password_validators, strip
from crm.i18n import LANGUAGES


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=email_field_validators(), filters=[strip],
                       description=_l("The address your invitation was sent to."),
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[validators.InputRequired(message=_l("Enter your password."))],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Remember me on this device"),
                            description=_l("Stay signed in for 30 days. Don't tick this on a shared computer."))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email"), validators=email_field_validators(), filters=[strip],
                       description=_l("We will mail a link to reset your password if an account uses this address."),
                       render_kw={"autocomplete": "username"})


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=new_password_validators(),
                             description=_l("At least 10 characters."), render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[validators.InputRequired(message=_l("Repeat the password.")),
                                        validators.EqualTo("password", message=_l("The two passwords differ."))],
                            render_kw={"autocomplete": "new-password"})


class InviteForm(FlaskForm):
    name = StringField(_l("Name"), validators=[validators.InputRequired(message=_l("Enter the person's name.")),
                                               validators.Length(max=200)],
                       description=_l("As it should appear in the CRM."))
    email = EmailField(_l("Email"), validators=email_field_validators(), filters=[strip],
                       description=_l("The invitation with a link to set a password goes here."))
    role = SelectField(_l("Role"), choices=choices(ROLES), default="staff",
                       description=_l("Admins manage users; staff run the network; members are officials of one city."))
    note = TextAreaField(_l("Personal note"), validators=[validators.Optional(), validators.Length(max=2000)],
                         description=_l("Optional; added to the invitation mail."))

    def validate_email(self, field):
        if find_by_email(field.data):
            raise validators.ValidationError(_l("A user with this address already exists."))


class UserEditForm(FlaskForm):
    role = SelectField(_l("Role"), choices=choices(ROLES), description=_l("What this user may do."))
    active = BooleanField(_l("Active"), description=_l("Deactivated users cannot sign in; their history is kept."))


class TimezoneForm(FlaskForm):
    """A user's own time zone: the pages show times in it."""

    timezone = SelectField(_l("Your time zone"), validators=[validators.InputRequired(_l("Choose a time zone."))],
                           render_kw={"data-searchable": _l("zones by city or country")},
                           description=_l("Dates and times on these pages are shown in this zone; events show "
                                          "their own local time too."))

    def __init__(self, *args, stored: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        from crm.core.zones import zone_choices

        self.timezone.choices = zone_choices(stored)  # only the user's own stored zone, if an old alias


class LanguageForm(FlaskForm):
    """A user's own interface language, kept on the account: it wins over the browser's on every device."""

    language = SelectField(_l("Language of the interface"), choices=choices(LANGUAGES),
                           validators=[validators.InputRequired(_l("Choose a language."))],
                           description=_l("The pages are shown in this language on every device you sign in from."))
