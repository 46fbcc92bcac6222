"""Access control in one place: every view needs a signed-in user unless marked ``public``.

``public`` marks a view open to anonymous visitors; ``roles_required`` (and the shorthands
``secretariat_required``, ``admin_required``, ``member_required``) restrict a view to roles.
``install(app)`` adds the one ``before_request`` check that sends anonymous visitors to the login page.
"""

from __future__ import annotations

from functools import wraps

from flask import abort, current_app, request
from flask_login import current_user

from crm.accounts.models import SECRETARIAT_ROLES

ALWAYS_PUBLIC_ENDPOINTS = {"static"}


def public(view):
    """Mark ``view`` as reachable without signing in."""
    view.is_public = True
    return view


def roles_required(*roles):
    """Restrict a view to signed-in users whose role is one of ``roles`` (others get 403)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = tuple(roles)
        return wrapped

    return decorator


secretariat_required = roles_required(*SECRETARIAT_ROLES)
admin_required = roles_required("admin")
member_required = roles_required("member")


def is_public_endpoint(app, endpoint: str | None) -> bool:
    """Return whether ``endpoint`` is open to anonymous visitors."""
    if endpoint is None or endpoint in ALWAYS_PUBLIC_ENDPOINTS:
        return True
    view = app.view_functions.get(endpoint)
    return bool(getattr(view, "is_public", False))


def can_open(endpoint: str, user=None) -> bool:
    """Return whether ``user`` (the signed-in user by default) may open ``endpoint``, read from its role decorator.

    Templates call it (``{% if can_open('audit.log') %}``) so a page links only to pages its reader may open.
    """
    view = current_app.view_functions.get(endpoint)
    if view is None:
        return False
    if is_public_endpoint(current_app, endpoint):
        return True
    user = current_user if user is None else user
    if not getattr(user, "is_authenticated", False):
        return False
    roles = getattr(view, "allowed_roles", None)
    return roles is None or user.role in roles


def install(app) -> None:
    """Require a signed-in user for every endpoint not marked ``public``; give templates ``can_open``."""
    app.jinja_env.globals["can_open"] = can_open

    @app.before_request
    def _require_login():
        if is_public_endpoint(app, request.endpoint):
            return None
        if not current_user.is_authenticated:
            return app.login_manager.unauthorized()
        return None
