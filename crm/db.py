"""The database: one proxy, one ``BaseModel``, a connection per request, and the migrations runner."""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path

import peewee
from flask import abort, request
from playhouse.db_url import connect as connect_url
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

from crm.resources import ResourceNotFound, migrations_dir

database = peewee.DatabaseProxy()

NUL = "\x00"

# Features whose models make up the schema, in dependency order.
MODEL_MODULES = [
    "crm.accounts.models",
    "crm.audit.models",
    "crm.mail",
    "crm.membership.models",
    "crm.contacts.models",
    "crm.events.models",
    "crm.incidents.models",
    "crm.lessons.models",
    "crm.workspace.models",
    "crm.indexing",
]

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10000,
    "synchronous": "normal",
}


def utcnow() -> dt.datetime:
    """Return the current time in UTC, naive, as every ``*_at`` column stores it."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class BaseModel(peewee.Model):
    """The base of every model: snake_case table names, one shared database."""

    class Meta:
        database = database
        legacy_table_names = False


def open_database(url: str) -> peewee.Database:
    """Return an unconnected database for a ``sqlite:///`` or ``postgresql://`` URL."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return peewee.SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, timeout=10)
    if url.startswith(("postgres://", "postgresql://")):
        return connect_url(url.replace("postgres://", "postgresql://", 1))
    raise ValueError(f"Unsupported CRM_DATABASE_URL {url!r}: use sqlite:///path or postgresql://…")


def init_app(app) -> None:
    """Bind the database of ``CRM_DATABASE_URL`` and open a connection per request."""
    database.initialize(open_database(app.config["DATABASE_URL"]))

    @app.before_request
    def _connect():
        database.connect(reuse_if_open=True)

    app.before_request(strip_nul_characters)

    @app.teardown_request
    def _close(exc):
        if not database.is_closed():
            database.close()


def _without_nul(values: MultiDict) -> ImmutableMultiDict | None:
    """Return ``values`` with NUL characters removed, or None when there is none to remove."""
    pairs = list(values.items(multi=True))
    if not any(NUL in key or (isinstance(value, str) and NUL in value) for key, value in pairs):
        return None
    return ImmutableMultiDict([(key.replace(NUL, ""), value.replace(NUL, "") if isinstance(value, str) else value)
                               for key, value in pairs])


def strip_nul_characters():
    """Remove NUL characters from the query string and form fields before any view reads them.

    PostgreSQL refuses NUL in text (a 500 on any query or insert that carries one) and no person types
    one: it only comes from tampering or binary junk, so it is dropped, and the rest of what was sent is
    validated as usual. A path that contains one names no page.
    """
    if NUL in request.path:
        abort(404)
    args = _without_nul(request.args)
    if args is not None:
        request.args = args
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        form = _without_nul(request.form)
        if form is not None:
            request.form = form
    if args is not None or request.method != "GET":
        request.__dict__.pop("values", None)  # rebuilt from the cleaned parts when next read


def all_models() -> list[type[BaseModel]]:
    """Return every model of the application, in an order that satisfies foreign keys."""
    models: list[type[BaseModel]] = []
    for name in MODEL_MODULES:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, BaseModel) and value is not BaseModel
                    and value.__module__ == name and value not in models):
                models.append(value)
    return peewee.sort_models(models)


class MigrationsNotFound(ResourceNotFound):
    """Raised when the migrations folder holds no migration file (a broken install)."""


def router(db=None):
    """Return the peewee-migrate router over the migrations shipped with the code."""
    from peewee_migrate import Router

    folder = migrations_dir()
    # An empty folder would read as "nothing pending" and leave the database without tables.
    if not any(folder.glob("[0-9]*.py")):
        raise MigrationsNotFound(f"No migration files in {folder}: the CRM is not installed completely, "
                                 "so no migration can be applied. Reinstall the package.")
    return Router(db or database, migrate_dir=folder, ignore=["basemodel"])
