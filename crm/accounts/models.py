"""Users of the CRM and their roles."""

from __future__ import annotations

import functools
import hmac
import secrets

import peewee
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin, UserMixin

from crm.db import BaseModel, utcnow

ROLES = {
    "admin": _l("Secretariat administrator"),
    "staff": _l("Secretariat staff"),
    "member": _l("Member-city official"),
}
SECRETARIAT_ROLES = ("admin", "staff")

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def check_against_nobody(password: str) -> bool:
    """Spend the time of a real password check when no account can match, so timing tells nothing; False."""
    try:
        _hasher.verify(_dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        pass
    return False


class User(UserMixin, BaseModel):
    """A person who can sign in: secretariat admin or staff, or an official of a member city."""

    email = peewee.CharField(max_length=254, unique=True)  # always stored lower-case
    name = peewee.CharField(max_length=200)
    role = peewee.CharField(max_length=20, choices=[(k, v) for k, v in ROLES.items()], index=True)
    password_hash = peewee.CharField(max_length=255, default="")
    active = peewee.BooleanField(default=True)
    created_at = peewee.DateTimeField(default=utcnow)
    invited_at = peewee.DateTimeField(null=True)
    last_login_at = peewee.DateTimeField(null=True)
    password_changed_at = peewee.DateTimeField(null=True)
    # Part of every session and remember-me cookie; a new password draws a new one, ending old sessions.
    session_stamp = peewee.CharField(max_length=32, default="")
    timezone = peewee.CharField(max_length=64, default="")  # IANA name; "" until the browser tells it
    language = peewee.CharField(max_length=8, default="")  # en, fr, es, ar; "" until they choose one
    city = peewee.DeferredForeignKey("City", null=True, backref="users", on_delete="SET NULL")  # member users

    class Meta:
        table_name = "user_account"  # "user" is reserved in PostgreSQL

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    # flask-login reads this property to refuse deactivated users.
    @property
    def is_active(self) -> bool:
        return bool(self.active)

    @property
    def is_secretariat(self) -> bool:
        return self.role in SECRETARIAT_ROLES

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)

    @property
    def has_password(self) -> bool:
        return bool(self.password_hash)

    def set_password(self, password: str) -> None:
        """Hash and store a new password (argon2id)."""
        self.password_hash = _hasher.hash(password)
        self.password_changed_at = utcnow()
        self.session_stamp = secrets.token_hex(16)

    def get_id(self) -> str:
        """The session's user reference: id and session stamp, so a password change ends old sessions."""
        return f"{self.id}:{self.session_stamp}"

    @classmethod
    def for_session(cls, session_id: str) -> User | None:
        """Return the active user a session's ``get_id`` value names, if its stamp is still current."""
        user_id, sep, stamp = (session_id or "").partition(":")
        if not sep or not user_id.isdigit():
            return None
        user = cls.get_or_none(cls.id == int(user_id))
        if user is None or not hmac.compare_digest(user.session_stamp, stamp):
            return None
        return user

    def check_password(self, password: str) -> bool:
        """Return whether ``password`` matches; rehash transparently when parameters changed."""
        if not self.password_hash:
            return False
        try:
            _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        if _hasher.check_needs_rehash(self.password_hash):
            self.password_hash = _hasher.hash(password)
            self.save(only=[User.password_hash])
        return True

    @property
    def token_stamp(self) -> str:
        """A value that changes whenever the password does, so emailed links work only once."""
        return self.password_hash[-16:] if self.password_hash else "unset"


class AnonymousUser(AnonymousUserMixin):
    """A visitor who has not signed in: answers the same questions as a ``User``, with no rights."""

    role = None
    city_id = None
    name = ""
    email = ""
    is_secretariat = False
