"""Sign in and out, password reset, invitations, and the admin's user pages."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale, refresh
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from crm.accounts import bp, services
from crm.accounts.access import admin_required, public
from crm.accounts.forms import (
    ForgotPasswordForm,
    InviteForm,
    LanguageForm,
    LoginForm,
    NewPasswordForm,
    TimezoneForm,
    UserEditForm,
)
from crm.accounts.models import ROLES, User
from crm.core.zones import valid_zone
from crm.extensions import limiter
from crm.i18n import LANGUAGES, SESSION_KEY
from crm.pagination import paginate


# Failed sign-ins are counted twice, apart: per account (any client) and per client address, with a
# higher limit per address, so one attacker behind an office's shared address does not lock colleagues out.
def _account_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _address_limit() -> str:
    return current_app.config["LOGIN_ADDRESS_RATE_LIMIT"]


def _login_email_key() -> str:
    return "login-email:" + services.normalise_email(request.form.get("email", ""))


def _failed(response) -> bool:
    """Whether a sign-in attempt failed (a success redirects); only failures count towards the limits."""
    return response.status_code != 302


def _safe_next(target: str | None) -> str | None:
    """Return ``target`` only if it is a path on this site (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_address_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_account_limit, key_func=_login_email_key, methods=["POST"], deduct_when=_failed)
def login():
    """Sign in with email and password."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            flash(_("Welcome, %(name)s.", name=user.name), "success")
            return redirect(_safe_next(request.args.get("next")) or url_for("main.home"))
        form.password.errors.append(_("The email address or the password is not right. "
                                      "Try again, or reset your password."))
    return render_template("accounts/login.html", form=form), (400 if form.errors else 200)


@bp.route("/timezone", methods=["GET", "POST"])
def timezone():
    """The signed-in user's time zone: detected once by the browser (``detected=1``), or chosen here."""
    if request.method == "POST" and request.form.get("detected"):
        zone = request.form.get("timezone", "")
        if valid_zone(zone) is None:
            return "", 400
        if not current_user.timezone:  # a zone the user chose is never overwritten by detection
            services.set_timezone(current_user, zone)
        return "", 204
    form = TimezoneForm(data={"timezone": current_user.timezone or "UTC"} if request.method == "GET" else None,
                        stored=current_user.timezone)
    if form.validate_on_submit():
        services.set_timezone(current_user, form.timezone.data)
        flash(_("Times are now shown in %(zone)s.", zone=form.timezone.data.replace("_", " ")), "success")
        return redirect(_safe_next(request.args.get("next")) or url_for("main.home"))
    return (render_template("accounts/timezone.html", form=form,
                            language_form=LanguageForm(data={"language": _current_language()})),
            400 if form.errors else 200)


def _current_language() -> str:
    return current_user.language or session.get(SESSION_KEY) or str(get_locale() or "en")


@bp.route("/language", methods=["POST"])
def language():
    """The signed-in user's interface language, stored on the account (the footer's links store it too)."""
    form = LanguageForm()
    if not form.validate_on_submit() or form.language.data not in LANGUAGES:
        flash(_("Choose one of the languages of the list."), "error")
        return redirect(url_for("accounts.timezone"))
    services.set_language(current_user, form.language.data)
    session[SESSION_KEY] = form.language.data  # this session's earlier switch must not hide the new choice
    refresh()  # the confirmation below is already in the chosen language
    flash(_("The pages are now shown in %(language)s.", language=LANGUAGES[form.language.data]), "success")
    return redirect(_safe_next(request.args.get("next")) or url_for("accounts.timezone"))


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out."""
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("main.home"))


@bp.route("/forgot", methods=["GET", "POST"])
@public
@limiter.limit(_address_limit, methods=["POST"])
@limiter.limit(_account_limit, key_func=_login_email_key, methods=["POST"])
def forgot_password():
    """Ask for a password-reset link by email."""
    started = time.monotonic()
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        # Known addresses cost a token and a mail, unknown ones nothing: answer both after the same time.
        time.sleep(max(0.0, started + current_app.config["RESET_ANSWER_MS"] / 1000 - time.monotonic()))
        flash(_("If an account uses this address, a link to reset the password is on its way. "
                "Check your inbox (and spam folder)."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


def _linked_user(token: str, salt: str, max_age: str, *, hint: str = ""):
    """The user an emailed link names, or None once the reason it does not work is flashed."""
    try:
        return services.user_for_token(token, salt, current_app.config[max_age])
    except services.AccountError as exc:
        flash(str(exc) + hint, "error")
        return None


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token):
    """Choose a new password through an emailed link."""
    user = _linked_user(token, services.RESET_SALT, "TOKEN_MAX_AGE")
    if user is None:
        return redirect(url_for("accounts.forgot_password"))
    form = NewPasswordForm()
    if form.validate_on_submit():
        was_signed_in = current_user.is_authenticated and current_user.id == user.id
        user = services.reset_password(token, form.password.data)
        if was_signed_in:
            # The new password ends every other session; the one that changed it goes on.
            login_user(user)
            flash(_("Your password is changed. Your other sessions are signed out."), "success")
            return redirect(url_for("main.home"))
        flash(_("Your password is changed. Sign in with the new one."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/set_password.html", form=form, user=user,
                           title=_("Choose a new password"), action=_("Save the new password"))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token):
    """Accept an invitation by choosing a password, then sign in."""
    user = _linked_user(token, services.INVITE_SALT, "INVITATION_MAX_AGE",
                        hint=" " + _("Your secretariat contact can send a new invitation."))
    if user is None:
        return redirect(url_for("accounts.login"))
    form = NewPasswordForm()
    if form.validate_on_submit():
        user = services.accept_invitation(token, form.password.data)
        login_user(user)
        flash(_("Welcome, %(name)s. Your account is ready.", name=user.name), "success")
        return redirect(url_for("main.home"))
    return render_template("accounts/set_password.html", form=form, user=user,
                           title=_("Welcome: choose your password"), action=_("Set my password and sign in"))


@bp.route("/users/")
@admin_required
def user_list():
    """List users with search and filters (admins)."""
    q, role, status = (request.args.get(k, "") for k in ("q", "role", "status"))
    page = paginate(services.list_users(q=q, role=role, status=status), per_page=50)
    return render_template("accounts/user_list.html", page=page, roles=ROLES, q=q, role=role, status=status)


@bp.route("/users/invite", methods=["GET", "POST"])
@admin_required
def invite_user():
    """Invite a person by email to set a password (admins)."""
    form = InviteForm()
    if form.validate_on_submit():
        user = services.invite_user(form.email.data, form.name.data, form.role.data,
                                    actor=current_user, note=form.note.data or "")
        flash(_("Invitation sent to %(email)s.", email=user.email), "success")
        return redirect(url_for("accounts.user_list"))
    return render_template("accounts/invite.html", form=form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def user_edit(user_id):
    """Change a user's role or deactivate them (admins)."""
    user = User.get_or_none(User.id == user_id) or abort(404)
    form = UserEditForm(obj=user)
    if form.validate_on_submit():
        try:
            services.update_user(user, actor=current_user, role=form.role.data, active=form.active.data)
        except services.AccountError as exc:
            form.role.errors.append(str(exc))
        else:
            flash(_("Saved %(email)s.", email=user.email), "success")
            return redirect(url_for("accounts.user_list"))
    return render_template("accounts/user_edit.html", form=form, user=user)


@bp.route("/users/<int:user_id>/resend", methods=["POST"])
@admin_required
def resend_invitation(user_id):
    """Send a fresh invitation link to a user who has not set a password (admins)."""
    user = User.get_or_none(User.id == user_id) or abort(404)
    if user.has_password:
        flash(_("%(email)s has already set a password: they can use 'Forgot your password?'.", email=user.email), "info")
    else:
        services.send_invitation(user, actor=current_user)
        flash(_("A new invitation is on its way to %(email)s.", email=user.email), "success")
    return redirect(url_for("accounts.user_edit", user_id=user.id))
