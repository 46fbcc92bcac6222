"""Create, invite, authenticate and manage users; issue and check the emailed links."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.accounts.models import ROLES, User, check_against_nobody
from crm.core import tokens
from crm.core.errors import DomainError
from crm.core.operations import audit as record
from crm.core.urls import absolute_url
from crm.db import database, utcnow
from crm.mail import queue_mail

RESET_SALT = "password-reset"
INVITE_SALT = "invitation"


class AccountError(DomainError):
    """A user-facing refusal: the message says what happened and what to do."""


def normalise_email(email: str) -> str:
    """Return the canonical (trimmed, lower-case) form of an email address."""
    return (email or "").strip().lower()


def find_by_email(email: str) -> User | None:
    """Return the user with this address, whatever its case, or None."""
    return User.get_or_none(User.email == normalise_email(email))


def create_user(email: str, name: str, role: str, password: str | None = None, *, actor=None) -> User:
    """Create a user (with a password, or none until they accept an invitation)."""
    if role not in ROLES:
        raise AccountError(_("Unknown role %(role)s; choose one of %(roles)s.", role=repr(role), roles=", ".join(ROLES)))
    email = normalise_email(email)
    with database.atomic():
        if find_by_email(email):
            raise AccountError(_("A user with the address %(email)s already exists.", email=email))
        user = User(email=email, name=name.strip() or email, role=role)
        if password:
            user.set_password(password)
        user.save()
        record(actor, "user.create", user, summary=f"Created {role} {email}",
               changes={"email": email, "role": role})
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with these credentials, or None."""
    user = find_by_email(email)
    if user is None or not user.has_password:
        return check_against_nobody(password) or None  # as slow as a known address
    if not user.check_password(password) or not user.is_active:
        return None
    user.last_login_at = utcnow()
    user.save(only=[User.last_login_at])
    return user


def make_token(user: User, salt: str) -> str:
    """Return a signed token for ``user`` that stops working once their password changes."""
    return tokens.sign({"uid": user.id, "stamp": user.token_stamp}, salt, timed=True)


def user_for_token(token: str, salt: str, max_age: int) -> User:
    """Return the user a valid, unexpired, unused token names; raise AccountError otherwise."""
    data = tokens.unsign_or_refuse(
        token, salt, AccountError, max_age=max_age, expired=_("This link has expired. Ask for a new one."),
        invalid=_("This link is not valid. Check that you copied all of it, or ask for a new one."))
    user = User.get_or_none(User.id == data.get("uid"))
    if user is None or not user.is_active or data.get("stamp") != user.token_stamp:
        raise AccountError(_("This link has already been used or is no longer valid. Ask for a new one."))
    return user


def request_password_reset(email: str) -> None:
    """Mail a reset link if an active user has this address; say nothing either way."""
    user = find_by_email(email)
    if user is None or not user.is_active:
        return
    token = make_token(user, RESET_SALT)
    link = absolute_url("accounts.reset_password", token=token)
    hours = current_app.config["TOKEN_MAX_AGE"] // 3600
    with database.atomic():
        queue_mail(user.email, _l("Reset your password"), "reset_password", user=user, link=link, hours=hours)


def reset_password(token: str, password: str) -> User:
    """Set a new password through a reset link; the link cannot be used again."""
    return _set_password_by_link(token, RESET_SALT, "TOKEN_MAX_AGE", password,
                                 "user.reset_password", "Password reset through emailed link")


def _set_password_by_link(token: str, salt: str, max_age: str, password: str, action: str, summary: str) -> User:
    user = user_for_token(token, salt, current_app.config[max_age])
    with database.atomic():
        user.set_password(password)
        user.save()
        record(user, action, user, summary=summary)
    return user


def invite_user(email: str, name: str, role: str, *, actor, note: str = "") -> User:
    """Create a user without a password and mail them a link to set one."""
    with database.atomic():
        user = create_user(email, name, role, actor=actor)
        user.invited_at = utcnow()
        user.save()
        send_invitation(user, actor=actor, note=note)
    return user


def send_invitation(user: User, *, actor, note: str = "") -> None:
    """Queue the invitation mail with a set-password link."""
    token = make_token(user, INVITE_SALT)
    link = absolute_url("accounts.accept_invitation", token=token)
    days = current_app.config["INVITATION_MAX_AGE"] // 86400
    inviter = getattr(actor, "name", None) or _l("The secretariat")
    queue_mail(user.email, _l("You are invited to the Strong Cities CRM"), "invitation",
               user=user, link=link, days=days, inviter=inviter, note=note)


def accept_invitation(token: str, password: str) -> User:
    """Set the first password through an invitation link."""
    return _set_password_by_link(token, INVITE_SALT, "INVITATION_MAX_AGE", password,
                                 "user.accept_invitation", "Accepted invitation and set a password")


def update_user(user: User, *, actor, role: str | None = None, active: bool | None = None) -> User:
    """Change a user's role or active flag, refusing to leave the network without an admin."""
    changes = {}
    if role is not None and role != user.role:
        if role not in ROLES:
            raise AccountError(_("Unknown role %(role)s.", role=repr(role)))
        changes["role"] = [user.role, role]
    if active is not None and active != user.active:
        changes["active"] = [user.active, active]
    if not changes:
        return user
    losing_admin = user.role == "admin" and (changes.get("role") or (active is False))
    if losing_admin:
        others = User.select().where(User.role == "admin", User.active == True, User.id != user.id).count()  # noqa: E712
        if others == 0:
            raise AccountError(_("This is the last active admin: make another user admin first."))
    with database.atomic():
        if "role" in changes:
            user.role = role
        if "active" in changes:
            user.active = active
        user.save()
        record(actor, "user.update", user, summary=f"Updated {user.email}", changes=changes)
    return user


def list_users(*, q: str = "", role: str = "", status: str = ""):
    """Return users matching a name/email search, role and status, sorted by name."""
    query = User.select().order_by(User.name, User.email)
    if q:
        needle = q.strip().lower()
        query = query.where(User.email.contains(needle) | User.name.contains(q.strip()))
    if role:
        query = query.where(User.role == role)
    if status == "active":
        query = query.where(User.active == True)  # noqa: E712
    elif status == "inactive":
        query = query.where(User.active == False)  # noqa: E712
    elif status == "invited":
        query = query.where(User.password_hash == "")
    return query


def set_timezone(user: User, zone: str) -> None:
    """Store ``user``'s time zone (an IANA name the caller has checked)."""
    User.update(timezone=zone).where(User.id == user.id).execute()
    user.timezone = zone


def set_language(user: User, code: str) -> None:
    """Store ``user``'s interface language (a code the caller has checked); it is the user's own preference."""
    User.update(language=code).where(User.id == user.id).execute()
    user.language = code
