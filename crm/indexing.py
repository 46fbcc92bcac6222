"""The index change log: the database is the truth, the Whoosh index a cache of it.

Every change to a searchable record writes an ``IndexChange`` row in the same transaction
(``touch(obj)``). After the commit, whichever process gets the apply lock applies the pending rows
through ``crm.search`` (``apply_pending``); a process that finds the lock taken leaves them to the
holder, and rows the holder missed are applied by the next writer, by a search that finds rows pending
(``apply_if_pending``) or by ``crm search sync`` (cron). A row names a document, not its content: it is
applied by reading the record as it is now, so applying twice or late is harmless, and a record that is
gone (or no longer indexable) is deleted from the index.

Each index folder records the last row it applied (``Index.last_change_id``), so several hosts can keep
their own index from one PostgreSQL database. Row ids must grow in commit order for that watermark to
be safe: on PostgreSQL ``touch`` takes a transaction-level advisory lock before inserting (writers of
searchable records commit one after the other from that point); SQLite has a single writer anyway.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import peewee
from flask import current_app, g, has_app_context, has_request_context
from flask_babel import lazy_gettext as _l

from crm import search_backend
from crm.db import BaseModel, database, utcnow
from crm.features import current_registry, registry
from crm.search_backend import SearchBackend

log = logging.getLogger(__name__)

ADVISORY_LOCK_KEY = 7_305_001  # pg_advisory_xact_lock key serialising writers of the change log
BATCH = 500


class IndexChange(BaseModel):
    """One searchable record changed: its document must be re-read from the database into the index."""

    doc_id = peewee.CharField(max_length=80, index=True)
    op = peewee.CharField(max_length=10, default="upsert")  # a hint: applying re-reads the record
    created_at = peewee.DateTimeField(default=utcnow)


@dataclass
class Kind:
    """A kind of document: how to load its records by id, all of them, and make their documents."""

    name: str
    model: type
    documents: Callable[[Iterable[int] | None], Iterator[tuple[int, dict | None]]]
    related: Callable[[object], list[str]] | None = None  # other documents that copy this record's details


def only_ids(query, ids: Iterable[int] | None):
    """Return ``query`` narrowed to the rows whose id is in ``ids`` (all rows when None), as ``documents`` reads."""
    return query if ids is None else query.where(query.model.id.in_(list(ids)))


# The kinds of the app's features (their ``index`` modules' KINDS and WATCHED), installed by ``install``.
# Process-wide, not per app, because the write hooks they set live on the model classes.
KINDS: dict[str, Kind] = {}
_MODEL_KINDS: dict[type, str] = {}
_WATCHED: dict[type, list[Callable[[object], list[str]]]] = {}  # several features may watch one model


def register(name: str, model: type, documents, related=None) -> None:
    """Register a kind of document; ``documents(ids or None)`` yields (id, document or None).

    Every write to ``model`` is logged from then on (``BaseModel.write_hook``), with the documents
    ``related(obj)`` names.
    """
    KINDS[name] = Kind(name, model, documents, related)
    _MODEL_KINDS[model] = name
    model.write_hook = log_write


def watch(model: type, doc_ids: Callable[[object], list[str]]) -> None:
    """Log the documents ``doc_ids(row)`` names whenever a row of ``model`` (not itself indexed) is written."""
    _WATCHED.setdefault(model, []).append(doc_ids)
    model.write_hook = log_write


def log_write(model: type, op: str, ids: list, instances: list | None = None) -> None:
    """Log the documents a write changes (``BaseModel.write_hook``: called in the writing transaction)."""
    kind = _MODEL_KINDS.get(model)
    if kind:
        touch_ids([f"{kind}:{i}" for i in ids], deleted=op == "delete")
    others = [f for f in (KINDS[kind].related if kind else None, *_WATCHED.get(model, ())) if f is not None]
    if not others:
        return
    if instances is None:  # a bulk query: read the rows (before a delete, after other writes)
        pk = model._meta.primary_key
        instances = [row for start in range(0, len(ids), 500)
                     for row in model.select().where(pk.in_(ids[start:start + 500]))]
    touch_ids(doc_id for obj in instances for names in others for doc_id in names(obj))


def install(index_modules: Iterable) -> None:
    """Index the kinds these modules declare (``KINDS``) and watch their ``WATCHED`` models, only those."""
    for model in (*_MODEL_KINDS, *_WATCHED):
        model.write_hook = None
    KINDS.clear()
    _MODEL_KINDS.clear()
    _WATCHED.clear()
    for module in index_modules:
        for kind in getattr(module, "KINDS", ()):
            register(kind.name, kind.model, kind.documents, kind.related)
        for model, doc_ids in getattr(module, "WATCHED", ()):
            watch(model, doc_ids)


def _load_kinds() -> None:
    if not KINDS:  # outside an app built by the factory (a script): the default features' kinds
        install(current_registry().index_modules())


def with_stamp(doc: dict | None) -> dict | None:
    """Return the document with its stamp: a digest of its content, so ``check`` can find stale ones."""
    if doc is None:
        return None
    body = {k: v for k, v in doc.items() if k != "stamp"}
    digest = hashlib.sha1(json.dumps(body, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()
    return {**body, "stamp": digest[:16]}


def doc_id_of(obj) -> str:
    """Return the index document id of a record (``incident:12``)."""
    _load_kinds()
    return f"{_MODEL_KINDS[type(obj)]}:{obj.id}"


# --- writing the log --------------------------------------------------------------------------------

def _serialise_writers() -> None:
    if isinstance(database.obj, peewee.PostgresqlDatabase):
        database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (ADVISORY_LOCK_KEY,))


def touch(obj, *, deleted: bool = False) -> list[str]:
    """Log that ``obj`` changed (call inside the transaction that changes it; before deleting it)."""
    _load_kinds()
    kind = _MODEL_KINDS.get(type(obj))
    if kind is None or obj.id is None:
        return []
    others = [f for f in (KINDS[kind].related, *_WATCHED.get(type(obj), ())) if f is not None]
    doc_ids = [f"{kind}:{obj.id}"] + [doc_id for names in others for doc_id in names(obj)]
    touch_ids(doc_ids, deleted=deleted)
    return doc_ids


def touch_ids(doc_ids: Iterable[str], *, deleted: bool = False) -> None:
    """Log changes of documents by id (in the caller's transaction)."""
    doc_ids = list(dict.fromkeys(doc_ids))
    if not doc_ids:
        return
    with database.atomic():
        _serialise_writers()
        now = utcnow()
        op = "delete" if deleted else "upsert"
        for start in range(0, len(doc_ids), 200):
            IndexChange.insert_many([{"doc_id": d, "op": op, "created_at": now}
                                     for d in doc_ids[start:start + 200]]).execute()
    if has_app_context():
        g.index_dirty = True


# --- documents from the database --------------------------------------------------------------------

def documents_for(doc_ids: Iterable[str]) -> list[tuple[str, object]]:
    """Return the (op, document-or-id) changes that bring these documents in line with the database."""
    _load_kinds()
    by_kind: dict[str, set[int]] = defaultdict(set)
    unknown = []
    for doc_id in dict.fromkeys(doc_ids):
        kind, _, raw = doc_id.partition(":")
        if kind in KINDS and raw.isdigit():
            by_kind[kind].add(int(raw))
        else:
            unknown.append(doc_id)
    changes: list[tuple[str, object]] = [("delete", d) for d in unknown]
    for kind, ids in by_kind.items():
        found = {}
        for record_id, doc in KINDS[kind].documents(sorted(ids)):
            found[record_id] = doc
        for record_id in sorted(ids):
            doc = with_stamp(found.get(record_id))
            changes.append(("upsert", doc) if doc else ("delete", f"{kind}:{record_id}"))
    return changes


def all_documents() -> Iterator[dict]:
    """Yield the document of every indexable record in the database."""
    _load_kinds()
    for kind in KINDS.values():
        for _record_id, doc in kind.documents(None):
            if doc is not None:
                yield with_stamp(doc)


def count_records() -> int:
    """Return the number of records of the searchable kinds (an upper bound of the documents)."""
    _load_kinds()
    return sum(k.model.select().count() for k in KINDS.values())


# --- applying the log -------------------------------------------------------------------------------

def open_index(path: str | None = None) -> SearchBackend:
    """Return this process's index for ``CRM_INDEX_DIR`` (or ``path``), of the ``SEARCH_BACKEND`` engine."""
    return search_backend.open_index(path or current_app.config["INDEX_DIR"],
                                     current_app.config.get("SEARCH_BACKEND", "whoosh"))


@contextmanager
def apply_lock(ix: SearchBackend, *, wait: bool = False):
    """Hold the index's apply lock: yields True when this process holds it, False when another one does."""
    with ix.apply_lock(wait=wait) as held:
        yield held


def pending_count(ix: SearchBackend | None = None) -> int:
    """Return the number of change-log rows this index folder has not applied."""
    ix = ix or open_index()
    return IndexChange.select().where(IndexChange.id > (ix.last_change_id() or 0)).count()


def prune(days: int, ix: SearchBackend | None = None) -> int:
    """Delete change-log rows older than ``days`` that this index has applied; return how many.

    Other hosts keeping their own index from the same database apply the log within minutes (cron's
    ``crm search sync``), so rows older than a few days are no one's pending work.
    """
    ix = ix or open_index()
    cutoff = utcnow() - dt.timedelta(days=days)
    return (IndexChange.delete()
            .where(IndexChange.created_at < cutoff, IndexChange.id <= (ix.last_change_id() or 0))
            .execute())


def apply_pending(ix: SearchBackend | None = None, *, wait: bool = False, progress=None,
                  deadline: float | None = None) -> int | None:
    """Apply the change-log rows this index has not seen; None when another process holds the lock.

    After releasing the lock the holder looks once more: a writer that committed while the lock was
    held and found it taken has left its rows to the holder, so the holder applies them. With a
    ``deadline`` (a ``time.monotonic()`` value) it stops between batches once that has passed, and
    leaves a needed rebuild to the next search or ``crm search sync``; the rest stays in the log.
    """
    ix = ix or open_index()
    total = None
    for _round in range(10):
        applied = _apply_once(ix, wait=wait, progress=progress, deadline=deadline)
        if applied is None:
            return total
        total = (total or 0) + applied
        if deadline is not None and time.monotonic() >= deadline:
            return total
        if not IndexChange.select().where(IndexChange.id > (ix.last_change_id() or 0)).exists():
            return total
    return total


def _apply_once(ix: SearchBackend, *, wait: bool, progress, deadline: float | None = None) -> int | None:
    applied = 0
    with apply_lock(ix, wait=wait) as held:
        if not held:
            return None
        if needs_rebuild(ix):  # applying the log onto a missing or empty index would build a partial one
            if deadline is not None:
                return None  # too long for a budget: the next search or sync rebuilds
            applied += _rebuild_locked(ix)  # (counted as its documents)
        while True:
            if deadline is not None and applied and time.monotonic() >= deadline:
                return applied
            last = ix.last_change_id() or 0
            rows = list(IndexChange.select(IndexChange.id, IndexChange.doc_id)
                        .where(IndexChange.id > last)
                        .order_by(IndexChange.id)
                        .limit(BATCH))
            if not rows:
                return applied
            changes = documents_for(r.doc_id for r in rows)
            if not ix.try_apply(changes, change_id=rows[-1].id):
                return None if not applied else applied  # a rebuild or direct writer holds Whoosh's lock
            applied += len(rows)
            if progress:
                progress(len(rows))


def apply_quietly(budget: float | None = None) -> None:
    """Apply pending changes after a commit, within ``budget`` seconds if given; never raises.

    A failure or an exhausted budget leaves the rest in the log, for the next writer, search or sync.
    """
    try:
        opened = database.connect(reuse_if_open=True)
        try:
            ix = open_index()
            if budget is not None and needs_rebuild(ix):
                # A first or lost index: built from the database in a background thread (once, under
                # the lock), since a rebuild may take longer than the budget.
                _rebuild_in_background(ix, force=False, wait=budget)
                return
            apply_pending(ix, deadline=None if budget is None else time.monotonic() + budget)
        finally:
            if opened:
                database.close()
    except Exception:  # the user's change is committed; the log keeps it for sync or the next writer
        log.exception("Applying index changes failed; they stay in the change log")


def apply_if_pending(ix: SearchBackend | None = None) -> None:
    """Before a search: apply rows that no one applied yet, if the lock is free (never raises)."""
    try:
        ix = ix or open_index()
        if IndexChange.select().where(IndexChange.id > (ix.last_change_id() or 0)).exists():
            apply_pending(ix)
    except Exception:
        log.exception("Applying pending index changes before a search failed")


def rebuild(ix: SearchBackend | None = None, progress=None) -> int:
    """Build a fresh index generation from the database and swap it in; return the document count."""
    ix = ix or open_index()
    with apply_lock(ix, wait=True):
        count = _rebuild_locked(ix, progress)
    apply_pending(ix, wait=True)
    return count


def _rebuild_locked(ix: SearchBackend, progress=None) -> int:
    last = IndexChange.select(peewee.fn.MAX(IndexChange.id)).scalar() or 0
    return ix.rebuild(all_documents(), progress=progress, last_change_id=last)


def needs_rebuild(ix: SearchBackend) -> str | None:
    """Return why the index must be rebuilt from the database ("missing", "unbuilt", "damaged"), or None.

    "unbuilt" is a generation that no rebuild or applied change ever recorded a watermark in: an index
    folder created empty (after the old one was deleted) holds none of the records the database has.
    """
    try:
        if ix.missing():
            return "missing"
        if ix.last_change_id() is None:
            return "unbuilt"
        ix.doc_count()  # opens the live generation
    except ix.damage_errors:
        return "damaged"
    return None


def sync(ix: SearchBackend | None = None, progress=None) -> tuple[str, int]:
    """Bring the index in line with the log: ("rebuilt", documents) when missing or damaged, else ("applied", rows)."""
    ix = ix or open_index()
    if needs_rebuild(ix):
        return "rebuilt", rebuild(ix, progress=progress)
    return "applied", apply_pending(ix, wait=True) or 0


# --- searching while the index may be missing ---------------------------------------------------------

class SearchUnavailable(Exception):
    """The index is being rebuilt from the database; a search works again in a moment."""

    message = _l("Search is being rebuilt from the database. Try again in a moment.")


_REBUILDS: dict[str, threading.Thread] = {}
_REBUILDS_LOCK = threading.Lock()


def _rebuild_in_background(ix: SearchBackend, *, force: bool, wait: float) -> bool:
    """Start (once per process) a rebuild under the apply lock; wait up to ``wait`` s; True when it is done.

    Another process holding the lock is rebuilding or applying: this one leaves it to them.
    """
    app = current_app._get_current_object()

    def run():
        try:
            with app.app_context():
                opened = database.connect(reuse_if_open=True)
                try:
                    with apply_lock(ix) as held:
                        if held and (force or needs_rebuild(ix)):
                            log.warning("Rebuilding the search index from the database (%s)",
                                        "damaged" if force else needs_rebuild(ix))
                            _rebuild_locked(ix)
                finally:
                    if opened:
                        database.close()
        except Exception:
            log.exception("Rebuilding the search index failed")

    with _REBUILDS_LOCK:
        thread = _REBUILDS.get(ix.path)
        if thread is None or not thread.is_alive():
            thread = threading.Thread(target=run, name="crm-index-rebuild", daemon=True)
            _REBUILDS[ix.path] = thread
            thread.start()
    thread.join(timeout=max(0.0, wait))
    return not thread.is_alive()


def ready_index() -> SearchBackend:
    """Return the index for a search, pending changes applied; raise SearchUnavailable while it is rebuilt.

    A missing, empty or damaged index is rebuilt from the database (once, under the lock) in the
    background; a search waits up to ``SEARCH_REBUILD_WAIT`` seconds for it.
    """
    ix = open_index()
    if needs_rebuild(ix) and not has_request_context():
        # A command (``crm peers`` right after ``crm db upgrade``) has no page to keep quick: it builds the
        # index now, under the lock (waiting for another process's rebuild), and then answers.
        log.warning("Rebuilding the search index from the database (%s)", needs_rebuild(ix))
        sync(ix)
    if needs_rebuild(ix):
        _rebuild_in_background(ix, force=False, wait=current_app.config.get("SEARCH_REBUILD_WAIT", 3.0))
        if needs_rebuild(ix):
            raise SearchUnavailable(SearchUnavailable.message)
    apply_if_pending(ix)
    return ix


def query_index(read: Callable[[SearchBackend], object]):
    """Return ``read(ix)`` on a ready index; an index found damaged while reading is rebuilt (SearchUnavailable)."""
    ix = ready_index()
    try:
        return read(ix)
    except ix.damage_errors:
        log.exception("The search index could not be read; rebuilding it from the database")
    wait = current_app.config.get("SEARCH_REBUILD_WAIT", 3.0)
    if _rebuild_in_background(ix, force=True, wait=wait):
        try:
            return read(ix)
        except ix.damage_errors:
            log.exception("The rebuilt search index could not be read either")
    raise SearchUnavailable(SearchUnavailable.message)


@dataclass
class CheckReport:
    """Documents the index lacks, holds in an older version, or holds without a record."""

    missing: list[str]
    stale: list[str]
    extra: list[str]
    total: int

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.extra)


def check(ix: SearchBackend | None = None) -> CheckReport:
    """Compare the index with the database."""
    ix = ix or open_index()
    expected = {doc["doc_id"]: doc["stamp"] for doc in all_documents()}
    stored = ix.stamps()
    missing = sorted(d for d in expected if d not in stored)
    stale = sorted(d for d in expected if d in stored and stored[d] != expected[d])
    extra = sorted(d for d in stored if d not in expected)
    return CheckReport(missing, stale, extra, len(expected))


def _apply_after_response(app, budget: float) -> None:
    with app.app_context():
        apply_quietly(budget)


def init_app(app) -> None:
    """Log every write of the app's indexed models, and apply the log after responses and commands."""
    install(registry(app).index_modules())

    @app.after_request
    def _apply_after_response_sent(response):
        # The changes are committed with the request's transaction; they are applied once the response
        # has gone out (the server closes it after writing the body), within a budget, so a large
        # index change never delays a page. What the budget leaves is applied by the next search or sync.
        if g.pop("index_dirty", False):
            budget = app.config.get("INDEX_AFTER_RESPONSE_BUDGET", 5)
            response.call_on_close(lambda: _apply_after_response(app, budget))
        return response

    @app.teardown_appcontext
    def _apply_after_context(exc):
        if exc is None and g.pop("index_dirty", False):
            apply_quietly()
