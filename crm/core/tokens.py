"""Signed tokens for the links mailed to people (status pages, invitations, answers, password resets).

One signing key (``SECRET_KEY``), one salt per purpose. ``timed`` tokens carry their issue time and expire
after the ``max_age`` given when they are read; untimed ones last as long as what they name.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer


class InvalidToken(Exception):
    """The token was altered, cut short, or signed for another purpose."""


class ExpiredToken(InvalidToken):
    """The token was valid but is older than its ``max_age``."""


def _serializer(salt: str, timed: bool):
    cls = URLSafeTimedSerializer if timed else URLSafeSerializer
    return cls(current_app.config["SECRET_KEY"], salt=salt)


def sign(payload: dict, salt: str, *, timed: bool = False) -> str:
    """Return ``payload`` signed for the purpose ``salt``."""
    return _serializer(salt, timed).dumps(payload)


def unsign(token: str, salt: str, *, max_age: int | None = None) -> dict:
    """Return the payload of a token signed for ``salt``; a ``max_age`` reads a timed token.

    Raises ExpiredToken (timed tokens only) or InvalidToken.
    """
    try:
        if max_age is not None:
            return _serializer(salt, True).loads(token, max_age=max_age)
        return _serializer(salt, False).loads(token)
    except SignatureExpired as exc:
        raise ExpiredToken(str(exc)) from exc
    except BadSignature as exc:
        raise InvalidToken(str(exc)) from exc


def unsign_or_refuse(token: str, salt: str, error: type[Exception], *, invalid: str, expired: str = "",
                     max_age: int | None = None) -> dict:
    """Return the payload like ``unsign``, or raise the feature's ``error`` with the words its reader sees:
    ``expired`` for a timed token past its ``max_age``, ``invalid`` for any other bad token."""
    try:
        return unsign(token, salt, max_age=max_age)
    except ExpiredToken as exc:
        raise error(expired or invalid) from exc
    except InvalidToken as exc:
        raise error(invalid) from exc
