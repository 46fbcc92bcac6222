"""Forms for signing in, resetting passwords and managing users."""

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


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=email_field_validators(), filters=[strip],
                       description="The address your invitation was sent to.",
                       render_kw={"autocomplete": "username"})
    password = PasswordField("Password", validators=[validators.InputRequired(message="Enter your password.")],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField("Remember me on this device",
                            description="Stay signed in for 30 days. Don't tick this on a shared computer.")


class ForgotPasswordForm(FlaskForm):
    email = EmailField("Email", validators=email_field_validators(), filters=[strip],
                       description="We will mail a link to reset your password if an account uses this address.",
                       render_kw={"autocomplete": "username"})


class NewPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=new_password_validators(),
                             description="At least 10 characters.", render_kw={"autocomplete": "new-password"})
    confirm = PasswordField("Repeat the new password",
                            validators=[validators.InputRequired(message="Repeat the password."),
                                        validators.EqualTo("password", message="The two passwords differ.")],
                            render_kw={"autocomplete": "new-password"})


class InviteForm(FlaskForm):
    name = StringField("Name", validators=[validators.InputRequired(message="Enter the person's name."),
                                           validators.Length(max=200)],
                       description="As it should appear in the CRM.")
    email = EmailField("Email", validators=email_field_validators(), filters=[strip],
                       description="The invitation with a link to set a password goes here.")
    role = SelectField("Role", choices=choices(ROLES), default="staff",
                       description="Admins manage users; staff run the network; members are officials of one city.")
    note = TextAreaField("Personal note", validators=[validators.Optional(), validators.Length(max=2000)],
                         description="Optional; added to the invitation mail.")

    def validate_email(self, field):
        if find_by_email(field.data):
            raise validators.ValidationError("A user with this address already exists.")


class UserEditForm(FlaskForm):
    role = SelectField("Role", choices=choices(ROLES), description="What this user may do.")
    active = BooleanField("Active", description="Deactivated users cannot sign in; their history is kept.")


class TimezoneForm(FlaskForm):
    """A user's own time zone: the pages show times in it."""

    timezone = SelectField("Your time zone", validators=[validators.InputRequired("Choose a time zone.")],
                           render_kw={"data-searchable": "zones by city or country"},
                           description="Dates and times on these pages are shown in this zone; events show "
                                       "their own local time too.")

    def __init__(self, *args, stored: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        from crm.core.zones import zone_choices

        self.timezone.choices = zone_choices(stored)  # only the user's own stored zone, if an old alias
