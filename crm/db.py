"""The database: one proxy, one ``BaseModel``, a connection per request, and the migrations runner."""

from __future__ import annotations

import contextvars
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

# Core modules with tables of their own; features declare theirs (crm.features.Feature.models).
CORE_MODEL_MODULES = ("crm.mail", "crm.indexing")

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10000,
    "synchronous": "normal",
}


def utcnow() -> dt.datetime:
    """Return the current time in UTC, naive, as every ``*_at`` column stores it."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def on_days(query, column, since: dt.date | None, until: dt.date | None):
    """Narrow ``query`` to the rows whose datetime ``column`` falls on the days ``since`` to ``until``, both
    included; a missing bound leaves that side open."""
    if since:
        query = query.where(column >= dt.datetime.combine(since, dt.time.min))
    if until:
        query = query.where(column < dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min))
    return query


# The model class whose instance is being saved or deleted: its own insert/update/delete query inside
# save() or delete_instance() is not reported a second time.
_INSTANCE_WRITE: contextvars.ContextVar = contextvars.ContextVar("instance_write", default=None)


class BaseModel(peewee.Model):
    """The base of every model: snake_case table names, one shared database, and write hooks.

    A model whose ``write_hook`` is set (crm.indexing sets it on every model a search document is read
    from) reports every write to it, in the writing transaction: ``write_hook(model, op, ids, instances)``
    with op "upsert" after an instance is saved or rows are inserted or updated, and "delete" before an
    instance or rows are deleted. Bulk ``insert``/``insert_many``/``update``/``delete`` queries report the
    rows they touch, so no write path can forget it.
    """

    write_hook = None

    class Meta:
        database = database
        legacy_table_names = False

    def save(self, *args, **kwargs):
        model = type(self)
        if model.write_hook is None:
            return super().save(*args, **kwargs)
        with self._meta.database.atomic():
            token = _INSTANCE_WRITE.set(model)
            try:
                rows = super().save(*args, **kwargs)
            finally:
                _INSTANCE_WRITE.reset(token)
            if rows and self._pk is not None:
                model.write_hook(model, "upsert", [self._pk], [self])
        return rows

    def delete_instance(self, *args, **kwargs):
        model = type(self)
        if model.write_hook is None or self._pk is None:
            return super().delete_instance(*args, **kwargs)
        with self._meta.database.atomic():
            model.write_hook(model, "delete", [self._pk], [self])
            token = _INSTANCE_WRITE.set(model)
            try:
                return super().delete_instance(*args, **kwargs)
            finally:
                _INSTANCE_WRITE.reset(token)

    @classmethod
    def insert(cls, __data=None, **insert):
        return _hooked(super().insert(__data, **insert), _HookedInsert)

    @classmethod
    def insert_many(cls, rows, fields=None):
        return _hooked(super().insert_many(rows, fields), _HookedInsert)

    @classmethod
    def insert_from(cls, query, fields):
        return _hooked(super().insert_from(query, fields), _HookedInsert)

    @classmethod
    def update(cls, __data=None, **update):
        return _hooked(super().update(__data, **update), _HookedUpdate)

    @classmethod
    def delete(cls):
        return _hooked(peewee.ModelDelete(cls), _HookedDelete)


def _hooked(query, hooked_class):
    if query.model.write_hook is not None:
        query.__class__ = hooked_class
    return query


def _reports(query) -> bool:
    return query.model.write_hook is not None and _INSTANCE_WRITE.get() is not query.model


def _matching_ids(query) -> list:
    model = query.model
    pk = model._meta.primary_key
    select = model.select(pk)
    if getattr(query, "_from", None):  # UPDATE ... FROM: report every row rather than guess
        return [row[0] for row in select.tuples()]
    if query._where is not None:
        select = select.where(query._where)
    return [row[0] for row in select.tuples()]


class _HookedInsert(peewee.ModelInsert):
    def _execute(self, database):
        if not _reports(self):
            return super()._execute(database)
        model = self.model
        pk = model._meta.primary_key
        with database.atomic():
            before = model.select(peewee.fn.MAX(pk)).scalar() or 0
            result = super()._execute(database)
            # Ids only grow: rows above the highest id seen before are ours (or committed meanwhile,
            # which reporting again is harmless).
            ids = [row[0] for row in model.select(pk).where(pk > before).tuples()]
            if ids:
                model.write_hook(model, "upsert", ids, None)
        return result


class _HookedUpdate(peewee.ModelUpdate):
    def _execute(self, database):
        if not _reports(self):
            return super()._execute(database)
        with database.atomic():
            ids = _matching_ids(self)
            result = super()._execute(database)
            if ids:
                self.model.write_hook(self.model, "upsert", ids, None)
        return result


class _HookedDelete(peewee.ModelDelete):
    def _execute(self, database):
        if not _reports(self):
            return super()._execute(database)
        with database.atomic():
            ids = _matching_ids(self)
            if ids:
                self.model.write_hook(self.model, "delete", ids, None)
            return super()._execute(database)


# A PostgreSQL connection costs ~5 ms to open: long-lived web workers keep theirs in a pool. A sync gunicorn
# worker serves one request at a time; the spare slots are for its background threads (index rebuild).
POOL_SIZE = 4
POOL_STALE_SECONDS = 300


def open_database(url: str, *, pooled: bool = False) -> peewee.Database:
    """Return an unconnected database for a ``sqlite:///`` or ``postgresql://`` URL.

    ``pooled``: on PostgreSQL, ``close()`` hands the connection back to a pool of this process (reopened after
    ``POOL_STALE_SECONDS`` idle) instead of ending it. SQLite opens a file, cheap enough without a pool.
    """
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        # Every transaction starts with BEGIN IMMEDIATE: it takes the write lock first, waiting up to the busy
        # timeout for it. A deferred transaction that read first and then writes cannot wait (SQLite answers
        # "database is locked" at once if another writer committed meanwhile), which gave 500s under load.
        return peewee.SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, timeout=10, lock_type="IMMEDIATE")
    if url.startswith(("postgres://", "postgresql://")):
        url = url.replace("postgres://", "postgresql://", 1)
        if pooled:
            return connect_url(url.replace("postgresql://", "postgresql+pool://", 1), max_connections=POOL_SIZE,
                               stale_timeout=POOL_STALE_SECONDS, timeout=10)
        return connect_url(url)
    raise ValueError(f"Unsupported CRM_DATABASE_URL {url!r}: use sqlite:///path or postgresql://…")


def init_app(app) -> None:
    """Bind the database of ``CRM_DATABASE_URL`` and take a connection per request (pooled on PostgreSQL)."""
    # Test apps come and go by the hundred in one process: a pool each would keep idle connections open
    # until garbage-collected, so they connect per request (served apps, gunicorn's included, pool).
    database.initialize(open_database(app.config["DATABASE_URL"], pooled=not app.testing))

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
    """Return every model of the application (the core's and its features'), in foreign-key order."""
    from crm.features import current_registry

    models: list[type[BaseModel]] = []
    for name in (*CORE_MODEL_MODULES, *current_registry().model_modules()):
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
