"""The search engine behind one door: the only module that imports Whoosh.

Documents are plain dicts (see ``FIELDS``); the database is the truth and the index is a cache of it.
An index folder holds generations (``gen-000001``...) and a ``CURRENT`` file naming the live one, so a
rebuild writes a fresh generation and swaps it in with one atomic rename. Writers never wait: a
``LockError`` means another process is applying changes and will apply ours too.

``Index`` is the default ``crm.search_backend.SearchBackend``: the rest of the app sees only that
interface (typed filters, plain values in hits), and imports this module (and Whoosh) only when an
index is opened.

Whoosh is pinned (``whoosh-reloaded == 2.7.5`` in setup.cfg) because ``score_terms`` reads its posting
blocks directly (``W3LeafMatcher._ids``, ``_next_block``, ``FilterMatcher._exclude``), several times
faster than its public matchers; if those internals change, ``_posting_ids`` logs it once and uses the
public API (``reader.postings(...).all_ids()``) from then on, with the same answers.
"""

from __future__ import annotations

import fcntl
import hashlib
import heapq
import json
import logging
import math
import os
import shutil
import struct
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from whoosh import highlight, index, query, sorting
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.index import LockError
from whoosh.matching.wrappers import FilterMatcher
from whoosh.scoring import BM25F
from whoosh.support.charset import accent_map

from crm.search_backend import (  # noqa: F401  (re-exported: crm.search's names of the seam)
    FACETABLE,
    FILTER_NAMES,
    ID_FIELDS,
    KEYWORD_FIELDS,
    MAX_QUERY_CHARS,
    MAX_QUERY_TERMS,
    Filter,
    FilterLike,
    Hit,
    SearchResult,
    as_list,
    clean_term,
    language_stemmer,
    language_stopwords,
    normalise_document,
    search_request,
)

log = logging.getLogger(__name__)

CURRENT_FILE = "CURRENT"
APPLIED_FILE = "applied.json"
GENERATION_PREFIX = "gen-"
APPLY_LOCK_FILE = "apply.lock"
# What reading a deleted, truncated or garbled index folder raises: the index must be rebuilt.
DAMAGE_ERRORS = (OSError, EOFError, struct.error, index.IndexError)

COLUMN_FILTERS = ID_FIELDS  # single-valued fields kept as columns: cheap per-document filtering

_WORD = r"[^\W_]+"


class _MarkFormatter(highlight.HtmlFormatter):
    """Marks matched words with a plain <mark> (the rest of the text is HTML-escaped)."""

    def __init__(self):
        super().__init__(tagname="mark", between=" … ")

    def format_token(self, text, token, replace=False):
        return f"<mark>{highlight.htmlescape(highlight.get_text(text, token, replace))}</mark>"


# Highlighted passages by (field, text, marked words): a passage depends on nothing else, so it is made once and
# reused (re-analysing every shown document's text was a third to a half of the search page's time).
_SNIPPETS: OrderedDict[tuple, str] = OrderedDict()
_SNIPPETS_SIZE = 2048
_SNIPPETS_LOCK = threading.Lock()


def _snippet(hit, fieldname: str, text: str, words: frozenset) -> str:
    key = (fieldname, hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest(), len(text),
           words)
    with _SNIPPETS_LOCK:
        if key in _SNIPPETS:
            _SNIPPETS.move_to_end(key)
            return _SNIPPETS[key]
    snippet = hit.highlights(fieldname, text=text, top=2)
    with _SNIPPETS_LOCK:
        _SNIPPETS[key] = snippet
        while len(_SNIPPETS) > _SNIPPETS_SIZE:
            _SNIPPETS.popitem(last=False)
    return snippet


def _body_analyzer():
    return (RegexTokenizer(_WORD) | LowercaseFilter() | CharsetFilter(accent_map)
            | StopFilter(lang="en") | StemFilter(lang="en", cachesize=50000))


def _text_analyzer():
    # Language-neutral surface words, accents folded: proper nouns and non-English wording.
    return RegexTokenizer(_WORD) | LowercaseFilter() | CharsetFilter(accent_map)


def make_schema() -> Schema:
    """Return the schema shared by every kind of document (city, incident, lesson, toolkit_item, contact)."""
    return Schema(
        doc_id=ID(stored=True, unique=True, sortable=True),
        stamp=ID(stored=True, sortable=True),
        title=TEXT(stored=True, analyzer=_body_analyzer(), field_boost=1.5),
        body=TEXT(stored=True, analyzer=_body_analyzer()),
        text=TEXT(analyzer=_text_analyzer()),
        facets=KEYWORD(stored=True, scorable=True, lowercase=True),
        mentions=KEYWORD(stored=True, scorable=True, lowercase=True),
        themes=KEYWORD(stored=True, lowercase=True),
        languages=KEYWORD(stored=True, lowercase=True),
        allowed_city_ids=KEYWORD(stored=True),
        kind=ID(stored=True, sortable=True),
        city_id=ID(stored=True, sortable=True),
        city_name=STORED(),
        visibility=ID(stored=True, sortable=True),
        city_status=ID(stored=True, sortable=True),
        region=ID(stored=True, sortable=True),
        country=ID(stored=True, sortable=True),
        phase=ID(stored=True, sortable=True),
        year=ID(stored=True, sortable=True),
        meta=STORED(),
    )


# -- filters -----------------------------------------------------------------------------------------

class _Nothing:
    """The allowed documents of a filter that allows none (never handed to Whoosh, which reads an
    empty filter as "no filter")."""

    def __bool__(self):
        return False

    def __contains__(self, docnum):
        return False

    def __repr__(self):
        return "NOTHING"


NOTHING = _Nothing()


def prepare_document(doc: dict) -> dict:
    """Return the Whoosh fields for a plain document dict (keyword lists stored space-joined)."""
    out = normalise_document(doc)
    for name in KEYWORD_FIELDS:
        out[name] = " ".join(out[name])
    return out


def _plain(stored: dict) -> dict:
    """Return stored Whoosh fields as plain values: keyword fields as lists again."""
    out = dict(stored)
    for name in KEYWORD_FIELDS:
        if name in out:
            out[name] = str(out[name] or "").split()
    return out


# -- the index ---------------------------------------------------------------------------------------

class Index:
    """A search index in a folder: one searcher per process, refreshed before each search.

    The Whoosh ``crm.search_backend.SearchBackend``.
    """

    damage_errors = DAMAGE_ERRORS

    def __init__(self, path: str):
        self.path = os.path.abspath(path)
        self.schema = make_schema()
        self._lock = threading.RLock()
        self._generation = None
        self._ix = None
        self._searcher = None
        self._retired = None
        self._filter_cache: dict = {}
        os.makedirs(self.path, exist_ok=True)
        if self._read_current() is None:
            self._create_first_generation()

    # generations ------------------------------------------------------------------------------------

    def _read_current(self) -> str | None:
        try:
            with open(os.path.join(self.path, CURRENT_FILE), encoding="utf-8") as fh:
                name = fh.read().strip()
        except FileNotFoundError:
            return None
        return name if name and os.path.isdir(os.path.join(self.path, name)) else None

    def _write_atomically(self, target: str, content: str) -> None:
        tmp = f"{target}.{os.getpid()}.{threading.get_ident()}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)

    def _new_generation_dir(self) -> str:
        numbers = [int(n[len(GENERATION_PREFIX):]) for n in os.listdir(self.path)
                   if n.startswith(GENERATION_PREFIX) and n[len(GENERATION_PREFIX):].isdigit()]
        for number in range(max(numbers, default=0) + 1, max(numbers, default=0) + 1000):
            name = f"{GENERATION_PREFIX}{number:06d}"
            try:
                os.mkdir(os.path.join(self.path, name))
                return name
            except FileExistsError:
                continue
        raise RuntimeError("could not allocate a new index generation")

    def _create_first_generation(self) -> None:
        os.makedirs(self.path, exist_ok=True)  # the folder may have been deleted under a running process
        name = self._new_generation_dir()
        index.create_in(os.path.join(self.path, name), self.schema)
        current = self._read_current()
        if current is None or current == name:  # (CURRENT may still name a deleted folder of that name)
            self._write_atomically(os.path.join(self.path, CURRENT_FILE), name)
        else:  # another process won the race
            shutil.rmtree(os.path.join(self.path, name), ignore_errors=True)

    @contextmanager
    def apply_lock(self, *, wait: bool = False) -> Iterator[bool]:
        """Hold the folder's apply lock (an flock, released even if the process is killed).

        Yields True when this process holds it, False when another one does (and ``wait`` is off).
        """
        os.makedirs(self.path, exist_ok=True)  # the folder may have been deleted: a rebuild needs the lock
        fh = open(os.path.join(self.path, APPLY_LOCK_FILE), "a+")
        try:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        finally:
            fh.close()

    def missing(self) -> bool:
        """Return True when the folder or its live generation is gone (a rebuild is needed)."""
        return not os.path.isdir(self.path) or self._read_current() is None

    def _open(self):
        """Return the Whoosh index of the live generation, reopening it after a swap."""
        name = self._read_current()
        if name is None:
            self._create_first_generation()
            name = self._read_current()
        if name != self._generation or self._ix is None:
            for old in (self._retired, self._searcher):
                if old is not None:
                    old.close()
            self._retired = None
            self._ix = index.open_dir(os.path.join(self.path, name), schema=self.schema)
            self._generation = name
            self._searcher = None
            self._filter_cache = {}
        return self._ix

    def generation_path(self) -> str:
        """Return the folder of the live generation."""
        with self._lock:
            self._open()
            return os.path.join(self.path, self._generation)

    def searcher(self):
        """Return this process's searcher, brought up to the latest commit (Whoosh object; internal).

        Whoosh-reloaded 2.7.5's ``Searcher.refresh()`` re-adds the old segments to the new reader, so
        replaced documents show up twice: a new searcher is opened instead when the generation moved
        (checking costs one small file read when nothing changed).
        """
        with self._lock:
            ix = self._open()
            current = self._searcher
            if current is not None and ix.latest_generation() == current.reader().generation():
                return current
            self._searcher = ix.searcher(weighting=BM25F(B=0.6, K1=1.2))
            self._filter_cache = {}
            # Close the searcher before last, not the one another thread may still be reading.
            if self._retired is not None:
                self._retired.close()
            self._retired = current
            return self._searcher

    def close(self) -> None:
        """Close the searcher and forget the open index."""
        with self._lock:
            for old in (self._retired, self._searcher):
                if old is not None:
                    old.close()
            self._searcher = None
            self._retired = None
            self._ix = None
            self._generation = None
            self._filter_cache = {}

    # writing ---------------------------------------------------------------------------------------

    def update_documents(self, docs: Iterable[dict], timeout: float = 10.0) -> int:
        """Add or replace documents (by doc_id), waiting up to timeout seconds for the lock; return the count."""
        with self._lock:
            writer = self._open().writer(timeout=timeout)
        return self._apply(writer, [("upsert", d) for d in docs])

    def delete_documents(self, doc_ids: Iterable[str], timeout: float = 10.0) -> int:
        """Delete documents by doc_id, waiting up to timeout seconds for the lock; return the count."""
        with self._lock:
            writer = self._open().writer(timeout=timeout)
        return self._apply(writer, [("delete", d) for d in doc_ids])

    def try_apply(self, changes: Iterable[tuple[str, object]], change_id: int | None = None) -> bool:
        """Apply (op, doc) changes if the writer lock is free; False means another process holds it.

        ``op`` is "upsert" (or "update"/"add") with a document dict, or "delete" with a doc_id or a
        dict holding one. When ``change_id`` is given it is recorded as the last applied change after
        the commit, so a caller can resume from it.
        """
        changes = list(changes)
        with self._lock:
            try:
                writer = self._open().writer(timeout=0)
            except LockError:
                return False
        self._apply(writer, changes, change_id=change_id)
        return True

    def _apply(self, writer, changes, change_id=None) -> int:
        # Whoosh cannot delete a document added in the same uncommitted writer: keep the last
        # change per doc_id, in order.
        last = {}
        for op, doc in changes:
            doc_id = doc.get("doc_id") if isinstance(doc, dict) else doc
            last.pop(str(doc_id), None)
            last[str(doc_id)] = (op, doc)
        count = 0
        try:
            for op, doc in last.values():
                if op == "delete":
                    doc_id = doc.get("doc_id") if isinstance(doc, dict) else doc
                    writer.delete_by_term("doc_id", str(doc_id))
                elif op in ("upsert", "update", "add"):
                    writer.update_document(**prepare_document(doc))
                else:
                    raise ValueError(f"unknown index change {op!r}")
                count += 1
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        if change_id is not None:
            self.set_last_change_id(change_id)
        return count

    def last_change_id(self) -> int | None:
        """Return the id of the last change-log entry applied to the live generation, if recorded."""
        try:
            with open(os.path.join(self.generation_path(), APPLIED_FILE), encoding="utf-8") as fh:
                return json.load(fh).get("last_change_id")
        except (FileNotFoundError, ValueError):
            return None

    def set_last_change_id(self, change_id: int | None) -> None:
        """Record (atomically) the last change-log entry applied to the live generation."""
        target = os.path.join(self.generation_path(), APPLIED_FILE)
        self._write_atomically(target, json.dumps({"last_change_id": change_id, "at": time.time()}))

    def rebuild(self, documents: Iterable[dict], progress: Callable[[int], None] | None = None,
                last_change_id: int | None = None, procs: int = 1) -> int:
        """Write every document into a fresh generation and swap it in atomically; return the count."""
        name = self._new_generation_dir()
        folder = os.path.join(self.path, name)
        count = 0
        try:
            ix = index.create_in(folder, self.schema)
            options = {"procs": procs, "multisegment": True} if procs > 1 else {}
            writer = ix.writer(**options)
            try:
                for doc in documents:
                    writer.add_document(**prepare_document(doc))
                    count += 1
                    if progress is not None and count % 1000 == 0:
                        progress(count)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            ix.close()
            if last_change_id is not None:
                self._write_atomically(os.path.join(folder, APPLIED_FILE),
                                       json.dumps({"last_change_id": last_change_id, "at": time.time()}))
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        if progress is not None:
            progress(count)
        with self._lock:
            previous = self._read_current()
            self._write_atomically(os.path.join(self.path, CURRENT_FILE), name)
            self._open()
        self._remove_old_generations(keep={name, previous})
        return count

    def _remove_old_generations(self, keep: set) -> None:
        # The previous generation stays one round so that searchers in other processes can finish.
        for entry in os.listdir(self.path):
            if entry.startswith(GENERATION_PREFIX) and entry not in keep:
                shutil.rmtree(os.path.join(self.path, entry), ignore_errors=True)

    # reading ---------------------------------------------------------------------------------------

    def doc_count(self) -> int:
        """Return the number of documents in the live generation."""
        return self.searcher().doc_count()

    def stamps(self, kind: str | None = None) -> dict[str, str]:
        """Return {doc_id: stamp} for every stored document (optionally of one kind)."""
        s = self.searcher()
        reader = s.reader()
        if reader.doc_count_all() == 0:  # no segment yet: Whoosh's empty reader has no columns
            return {}
        ids = reader.column_reader("doc_id")
        stamps = reader.column_reader("stamp")
        kinds = reader.column_reader("kind")
        out = {}
        for docnum in reader.all_doc_ids():
            if kind is None or kinds[docnum] == kind:
                out[ids[docnum]] = stamps[docnum]
        return out

    def doc_frequencies(self, fieldname: str, terms: Iterable[str]) -> dict[str, int]:
        """Return how many documents hold each term of a field (0 for unknown terms)."""
        reader = self.searcher().reader()
        out = {}
        for term in terms:
            try:
                out[term] = reader.doc_frequency(fieldname, term)
            except Exception:
                out[term] = 0
        return out

    def get(self, doc_id: str) -> dict | None:
        """Return the stored fields of one document (plain values), or None."""
        stored = self.searcher().document(doc_id=str(doc_id))
        return None if stored is None else _plain(stored)

    def _filter(self, searcher, filters: FilterLike):
        """Return (allowed docnums, excluded docnums or None) for filters, cached.

        Allowed is None when every document is allowed, ``NOTHING`` when none is, else a non-empty set.
        """
        f = Filter.of(filters)
        if not f.restricts:
            return None, None
        if f.allows_nothing:
            return NOTHING, None
        cached = self._filter_cache.get(f)
        if cached is not None and cached[0] is searcher:
            return cached[1], cached[2]
        must = [query.Or([query.Term(fname, v) for v in sorted(values)]) for fname, values in f.fields]
        if f.visibility is not None:
            seen = [query.Term("visibility", v) for v in sorted(f.visibility)]
            if f.viewer_city_id is not None:
                seen.append(query.Term("allowed_city_ids", f.viewer_city_id))
            must.append(query.Or(seen))
        allow = None
        if must:
            allow = set(searcher.docs_for_query(query.And(must))) or NOTHING
        mask = None
        if f.exclude_city_ids:
            mask = set(searcher.docs_for_query(query.Or([query.Term("city_id", c)
                                                         for c in sorted(f.exclude_city_ids)]))) or None
        if len(self._filter_cache) > 256:
            self._filter_cache.clear()
        self._filter_cache[f] = (searcher, allow, mask)
        return allow, mask

    def analyse(self, fieldname: str, text: str) -> list[str]:
        """Return the indexed terms that a field's analyser makes of text (never raises)."""
        try:
            fieldtype = self.schema[fieldname]
            return [t for t in fieldtype.process_text(str(text)[:MAX_QUERY_CHARS], mode="query")
                    if isinstance(t, str)]
        except Exception:  # an analyser must never break a search
            return []

    def _text_query(self, text: str, fields=("title", "body", "text")):
        terms = []
        for fname in fields:
            for term in dict.fromkeys(self.analyse(fname, text)):
                terms.append(query.Term(fname, term))
                if len(terms) >= MAX_QUERY_TERMS * len(fields):
                    break
        return query.Or(terms) if terms else None

    def search(self, query_text: str, filters: FilterLike = None, page: int = 1, pagelen: int = 20,
               facets: Iterable[str] = ("kind", "region", "languages"), snippet_field: str = "body",
               ) -> SearchResult:
        """Find documents for free text: a page of highlighted hits, the total and facet counts.

        Any text is accepted: it is analysed into words, never parsed as query syntax. An empty text
        matches every document the filters allow.
        """
        text, page, pagelen = search_request(query_text, page, pagelen)
        q = self._text_query(text) or (query.Every() if not text.strip() else None)
        if q is None:
            return SearchResult([], 0, page, pagelen, {})
        s = self.searcher()
        allow, mask = self._filter(s, filters)
        if allow is NOTHING:  # Whoosh would read an empty filter as "no filter": return nothing instead
            return SearchResult([], 0, page, pagelen, {name: {} for name in facets or () if name in FACETABLE})
        groupedby = {}
        for name in facets or ():
            if name in FACETABLE:
                multi = isinstance(self.schema[name], KEYWORD)
                groupedby[name] = sorting.FieldFacet(name, allow_overlap=multi, maptype=sorting.Count)
        results = s.search_page(q, page, pagelen=pagelen, filter=allow, mask=mask,
                                groupedby=groupedby or None, terms=True)
        results.results.fragmenter = highlight.ContextFragmenter(maxchars=240, surround=60)
        results.results.formatter = _MarkFormatter()
        hits = []
        beyond = (page - 1) * pagelen >= len(results.results)
        words = None
        for hit in ([] if beyond else results):
            stored = hit.fields()
            snippet = ""
            if stored.get(snippet_field):
                try:
                    if not results.results.has_matched_terms():
                        snippet = hit.highlights(snippet_field, top=2)
                    else:
                        if words is None:  # what Whoosh's highlighter marks: the field's words the results matched
                            words = frozenset(self.schema[snippet_field].from_bytes(term[1])
                                              for term in results.results.matched_terms() if term[0] == snippet_field)
                        snippet = _snippet(hit, snippet_field, stored[snippet_field], words)
                except Exception:  # a snippet is a nicety: never let it break the search
                    snippet = ""
            hits.append(Hit(stored["doc_id"], stored.get("kind", ""), float(hit.score or 0.0), _plain(stored),
                            snippet))
        counts = {}
        for name in groupedby:
            try:
                counts[name] = {str(k): int(v) for k, v in results.results.groups(name).items()
                                if k is not None}
            except Exception:
                counts[name] = {}
        return SearchResult(hits, len(results.results), page, pagelen, counts)

    def score_terms(self, clauses: Iterable[tuple], filters: FilterLike = None,
                    limit: int = 200, max_postings: int | None = None) -> list[Hit]:
        """Return the top documents for (field, term, boost, use_idf[, group]) clauses by summed weights.

        A document scores the sum of the boosts of the clauses it holds (times the term's BM25 IDF
        when use_idf is true). No term frequency, no length normalisation: a long document does not
        win by repeating itself. Much faster than Whoosh's scored matchers for many-clause queries,
        because postings are read block by block and filters are checked on columns. Each hit's
        ``parts`` gives its score per clause group.
        """
        s = self.searcher()
        if s.reader().doc_count_all() == 0:  # no segment yet: Whoosh's empty reader has no columns
            return []
        accept = self._column_filter(s, filters)
        if accept is None:
            return []
        reader = s.reader()
        total = max(1, reader.doc_count())
        scores: dict[int, float] = {}
        parts: dict[str, dict[int, float]] = {}
        for clause in clauses:
            fieldname, term, boost, use_idf = clause[:4]
            group = parts.setdefault(clause[4], {}) if len(clause) > 4 and clause[4] else None
            if fieldname not in self.schema.names() or not term:
                continue
            term = str(term)
            frequency = reader.doc_frequency(fieldname, term)
            if not frequency or (max_postings and use_idf and frequency > max_postings):
                continue
            weight = float(boost)
            if use_idf:
                weight *= math.log(1 + (total - frequency + 0.5) / (frequency + 0.5))
            get = scores.get
            ids = _posting_ids(reader, fieldname, term)
            for docnum in ids:
                scores[docnum] = get(docnum, 0.0) + weight
            if group is not None:
                group_get = group.get
                for docnum in ids:
                    group[docnum] = group_get(docnum, 0.0) + weight
        if not scores:
            return []
        # Check filters lazily, best first: most scored documents never need checking.
        best = [item for item in heapq.nlargest(limit * 2, ((sc, d) for d, sc in scores.items()))
                if accept(item[1])][:limit]
        if len(best) < limit and len(scores) > limit * 2:
            best = heapq.nlargest(limit, ((sc, d) for d, sc in scores.items() if accept(d)))
        hits = []
        for score, docnum in best:
            stored = reader.stored_fields(docnum)
            hit = Hit(stored["doc_id"], stored.get("kind", ""), score, _plain(stored))
            hit.parts = {name: values.get(docnum, 0.0) for name, values in parts.items()}
            hits.append(hit)
        return hits

    def _column(self, searcher, fieldname: str):
        """Return a column reader of the current searcher, kept until the next commit."""
        key = ("column", fieldname)
        cached = self._filter_cache.get(key)
        if cached is None or cached[0] is not searcher:
            cached = (searcher, _Column(searcher.reader().column_reader(fieldname)))
            self._filter_cache[key] = cached
        return cached[1]

    def _column_filter(self, searcher, filters: FilterLike):
        """Return a predicate on docnums for filters, reading columns; None when nothing can pass."""
        f = Filter.of(filters)
        if not f.restricts:
            return lambda docnum: True
        if f.allows_nothing:
            return None
        reader = searcher.reader()
        checks = []
        keyword_fields = []
        for fname, values in f.fields:
            if fname in COLUMN_FILTERS:
                checks.append((self._column(searcher, fname), values, True))
            else:
                keyword_fields.append((fname, values))
        if f.exclude_city_ids:
            checks.append((self._column(searcher, "city_id"), f.exclude_city_ids, False))
        keyword_allow = None
        if keyword_fields:
            keyword_allow = self._filter(searcher, Filter(tuple(keyword_fields)))[0]
            if keyword_allow is NOTHING:
                return None
        allowed_visibility = f.visibility
        viewer = f.viewer_city_id
        visibility_column = self._column(searcher, "visibility") if allowed_visibility is not None else None

        def accept(docnum):
            for column, values, wanted in checks:
                if (column[docnum] in values) is not wanted:
                    return False
            if keyword_allow is not None and docnum not in keyword_allow:
                return False
            if visibility_column is not None and visibility_column[docnum] not in allowed_visibility:
                if viewer is None:
                    return False
                allowed = str(reader.stored_fields(docnum).get("allowed_city_ids", "")).split()
                return viewer in allowed
            return True

        return accept


class _Column:
    """A column reader that answers None for documents past its end.

    Whoosh writes a segment's column only up to the last document that has the field, so documents
    added after it (a rebuild adds toolkit items, which have no city, last) are out of its range.
    """

    __slots__ = ("_reader",)

    def __init__(self, reader):
        self._reader = reader

    def __getitem__(self, docnum):
        try:
            return self._reader[docnum]
        except IndexError:
            return None


_FAST_POSTINGS = True  # False once Whoosh's internals were found changed (logged once)


def _posting_ids(reader, fieldname: str, term: str) -> list[int]:
    """Return the live docnums holding a term: the fast path, or the public API if Whoosh changed."""
    global _FAST_POSTINGS
    if _FAST_POSTINGS:
        try:
            return _posting_ids_fast(reader, fieldname, term)
        except (AttributeError, TypeError):
            _FAST_POSTINGS = False
            log.warning("Whoosh's posting-block internals are not as crm.search expects (a Whoosh other than "
                        "2.7.5?): scoring uses Whoosh's public API from now on (same results, slower)",
                        exc_info=True)
    return _posting_ids_public(reader, fieldname, term)


def _posting_ids_public(reader, fieldname: str, term: str) -> list[int]:
    """Return the live docnums holding a term through Whoosh's public matcher API."""
    if (fieldname, term) not in reader:
        return []
    return list(reader.postings(fieldname, term).all_ids())


def _posting_ids_fast(reader, fieldname: str, term: str) -> list[int]:
    """Return the live docnums holding a term, decoding Whoosh's posting blocks a block at a time."""
    out: list[int] = []
    for leaf, offset in reader.leaf_readers():
        if (fieldname, term) not in leaf:
            continue
        matcher = leaf.postings(fieldname, term)
        deleted = frozenset()
        if isinstance(matcher, FilterMatcher) and getattr(matcher, "_exclude", False):
            deleted, matcher = matcher._ids, matcher.child
        if not isinstance(matcher, W3LeafMatcher):  # another codec: the generic (slower) way
            out.extend(offset + d for d in matcher.all_ids() if d not in deleted)
            continue
        while matcher.is_active():
            if matcher._ids is None:
                matcher._read_ids()
            block = matcher._ids[matcher._i:]
            out.extend(offset + d for d in block if d not in deleted)
            matcher._next_block()
    return out


_OPEN: dict[tuple[int, str], Index] = {}
_OPEN_LOCK = threading.Lock()


def open_index(path: str) -> Index:
    """Return this process's Index for a folder (created if missing)."""
    key = (os.getpid(), os.path.abspath(path))
    with _OPEN_LOCK:
        if key not in _OPEN:
            _OPEN[key] = Index(path)
        return _OPEN[key]
