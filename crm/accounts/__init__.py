"""Accounts: sign in and out, password reset, invitations, and the admin's user list."""

from flask import Blueprint

from crm.features import Feature

bp = Blueprint("accounts", __name__, url_prefix="/account")

feature = Feature("accounts")
