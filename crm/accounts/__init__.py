"""Accounts: sign in and out, password reset, invitations, and the admin's user list."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/account")

from crm.accounts import views  # noqa: E402,F401
