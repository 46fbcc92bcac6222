"""The Strong Cities CRM: a Flask application built by ``create_app``."""

from __future__ import annotations

import os
from pathlib import Path

from dotenv import load_dotenv
from flask import Flask

from crm import config as settings
from crm import resources, security_headers
from crm.config import DEV_SECRET_KEY

# The features of the application, each declared by its package's ``feature`` (crm.features.Feature), in
# the order their URLs are matched. Adding a feature is adding its package here (or in config["FEATURES"]).
FEATURES = [
    "crm.main",
    "crm.accounts",
    "crm.audit",
    "crm.outbox",
    "crm.membership",
    "crm.contacts",
    "crm.events",
    "crm.onboarding",
    "crm.incidents",
    "crm.lessons",
    "crm.workspace",
    "crm.mailings",
    "crm.anniversaries",
    "crm.journeys",
    "crm.savedfilters",
    "crm.searchui",
]


class ConfigurationError(RuntimeError):
    """Raised when the application cannot start with the configuration it was given."""


def create_app(config: dict | None = None) -> Flask:
    """Build the application: config, extensions, database, blueprints, error pages, commands.

    ``config["FEATURES"]`` replaces the feature list; ``config["VIEWS"] = False`` builds an app without
    pages (no blueprint, so no view module is imported, and no login, CSRF or rate-limit extension), for
    commands that serve none.
    """
    load_dotenv(Path.cwd() / ".env", override=False)
    app = Flask(__name__, template_folder=str(resources.templates_dir()))
    flask_debug = app.debug  # FLASK_DEBUG or `crm --debug`
    app.config.update(settings.from_environment())
    app.config.update(config or {})
    app.config["DEBUG"] = bool(app.config["DEBUG"]) or flask_debug
    _check_secret_key(app)
    app.instance_path = app.config["INSTANCE_DIR"]  # the working directory's, not site-packages'
    os.makedirs(app.instance_path, exist_ok=True)
    from crm.features import Registry

    app.extensions["crm_features"] = Registry(app.config.get("FEATURES") or FEATURES)

    if app.config.get("VIEWS", True):  # login, CSRF and rate limits are for requests, which only pages get
        _init_extensions(app)
    security_headers.init_app(app)
    from crm import db

    db.init_app(app)
    if app.config.get("VIEWS", True):
        for blueprint in app.extensions["crm_features"].blueprints():
            app.register_blueprint(blueprint)
    from crm import cli, errors, i18n, indexing, mail, templating

    indexing.init_app(app)
    mail.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    i18n.init_app(app)
    cli.init_app(app)
    return app


MIN_SECRET_KEY_LENGTH = 32


def _check_secret_key(app: Flask) -> None:
    """Refuse to start with the development key, or a key shorter than 32 characters, unless allowed."""
    # Tests, and commands that neither serve pages nor sign links (imports, search, peers), need no key;
    # only the development server (`crm run`) in development mode may use the development key. Debug
    # mode alone is not enough: gunicorn with FLASK_DEBUG=1 must not sign sessions with a public key.
    if app.testing or app.config.get("ALLOW_DEV_SECRET_KEY"):
        return
    if app.config.get("DEV_SERVER") and app.debug:
        return
    key = app.config.get("SECRET_KEY") or ""
    if key != DEV_SECRET_KEY and len(key) >= MIN_SECRET_KEY_LENGTH:
        return
    problem = ("CRM_SECRET_KEY is not set." if key in ("", DEV_SECRET_KEY) else
               f"CRM_SECRET_KEY is too short ({len(key)} characters; at least {MIN_SECRET_KEY_LENGTH} are needed).")
    raise ConfigurationError(
        f"{problem} Set it to a long random value, for example:\n"
        "  export CRM_SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(48))')\n"
        "or put CRM_SECRET_KEY=... in a .env file. (Only `crm run` with CRM_DEBUG=1 may use the "
        "development key.)"
    )


def _init_extensions(app: Flask) -> None:
    from flask_babel import lazy_gettext

    from crm.accounts import access
    from crm.accounts.models import AnonymousUser, User
    from crm.extensions import csrf, limiter, login_manager

    app.config.setdefault("RATELIMIT_ENABLED", True)
    app.config["REMEMBER_COOKIE_DURATION"] = app.config["REMEMBER_DAYS"] * 86400
    # Access control first, so anonymous visitors are sent to the login page before any other check.
    access.install(app)
    csrf.init_app(app)
    # Flask-Limiter keeps the first app's key prefix for the life of the process; each app built here
    # (tests build many, with their own RATELIMIT_KEY_PREFIX) uses its own.
    limiter._key_prefix = app.config.get("RATELIMIT_KEY_PREFIX", "")
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = lazy_gettext("Please sign in to see this page.")
    login_manager.localize_callback = str  # flashed as plain text, in the language of the page asked for
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.anonymous_user = AnonymousUser

    @login_manager.user_loader
    def _load_user(session_id):
        return User.for_session(session_id)

