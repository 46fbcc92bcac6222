"""The database: one proxy, one ``BaseModel``, a connection per request, and the migrations runner."""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path

import peewee
from playhouse.db_url import connect as connect_url

database = peewee.DatabaseProxy()

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

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

    @app.teardown_request
    def _close(exc):
        if not database.is_closed():
            database.close()


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


def router(db=None):
    """Return the peewee-migrate router over ``migrations/``."""
    from peewee_migrate import Router

    return Router(db or database, migrate_dir=MIGRATIONS_DIR, ignore=["basemodel"])
