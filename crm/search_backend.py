"""The search seam: what the rest of the app sees of a search engine, with no engine imported.

A backend is any object that satisfies ``SearchBackend``: it stores plain document dicts (see
``normalise_document``), answers typed ``Filter``s, and returns ``Hit``s whose fields are plain Python
values (multi-valued fields are lists of strings). ``crm.search`` is the Whoosh backend (the default);
``crm.search_memory`` is a small in-memory one that passes the same contract tests
(tests/test_search_contract.py), so a PostgreSQL full-text or OpenSearch backend can be written against
this module without touching ``crm.peers`` or the features. Importing this module imports no engine:
the engine is imported when an index is first opened (``open_index``).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from functools import cache
from typing import Protocol

# Field names a document may carry. Multi-valued ones take (and give back) a list of strings.
KEYWORD_FIELDS = ("facets", "mentions", "languages", "allowed_city_ids", "themes")
ID_FIELDS = ("kind", "city_id", "visibility", "city_status", "region", "country", "phase", "year")
TEXT_FIELDS = ("title", "body", "text")  # analysed; "text" is searched, never stored
FACETABLE = ("kind", "region", "country", "city_status", "phase", "year", "languages", "facets")
MAX_QUERY_CHARS = 2000  # longer user text adds nothing to a ranking and only costs time
MAX_QUERY_TERMS = 64

# The engines ``open_index`` knows: a name -> its module, which provides ``open_index(path) -> SearchBackend``.
# ``crm.indexing`` picks one by the app config key ``SEARCH_BACKEND`` (default "whoosh"; not an environment
# setting while the only other engine is the in-memory one for tests).
ENGINES = {"whoosh": "crm.search", "memory": "crm.search_memory"}


# -- results -----------------------------------------------------------------------------------------

@dataclass
class Hit:
    """One document found: its stored fields (plain values, lists for multi-valued ones), score, snippet."""

    doc_id: str
    kind: str
    score: float
    fields: dict
    snippet: str = ""
    parts: dict = field(default_factory=dict)


@dataclass
class SearchResult:
    """A page of hits, the total number of matching documents and facet counts over all of them."""

    hits: list[Hit]
    total: int
    page: int
    pagelen: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


# -- filters -----------------------------------------------------------------------------------------

FILTER_NAMES = frozenset(ID_FIELDS + KEYWORD_FIELDS) | {"kinds", "exclude_city_ids", "viewer_city_id"}


@dataclass(frozen=True)
class Filter:
    """What a search may return: every listed field must hold one of its values (typed, normalised).

    ``fields`` maps a field name to the values it may take (an empty set allows nothing, by
    construction). ``visibility`` is None for no visibility rule, otherwise the visibilities shown to
    everyone; a document whose visibility is not among them is shown only when ``viewer_city_id`` is in
    its ``allowed_city_ids``. Documents of ``exclude_city_ids`` are never returned.
    """

    fields: tuple[tuple[str, frozenset], ...] = ()
    visibility: frozenset | None = None
    viewer_city_id: str | None = None
    exclude_city_ids: frozenset = frozenset()

    @classmethod
    def of(cls, filters: FilterLike) -> Filter:
        """Return the Filter for a filters dict (``kinds``, field names, ``visibility``, ...); unknown names raise."""
        if isinstance(filters, Filter):
            return filters
        if not filters:
            return cls()
        unknown = set(filters) - FILTER_NAMES - {"visibility"}
        if unknown:  # a misspelt filter must never silently widen a search
            raise ValueError(f"unknown search filter(s): {', '.join(sorted(unknown))}")
        fields = []
        for name, value in sorted(filters.items()):
            if name in ("visibility", "viewer_city_id", "exclude_city_ids") or value is None:
                continue
            fname = "kind" if name == "kinds" else name
            clean = clean_term if fname in KEYWORD_FIELDS else str
            fields.append((fname, frozenset(clean(v) for v in as_list(value))))
        visibility = filters.get("visibility")
        viewer = filters.get("viewer_city_id")
        viewer = str(viewer) if viewer not in (None, "") else None
        # A viewer without visibilities sees only what is shared with their city.
        return cls(tuple(fields),
                   frozenset(as_list(visibility)) if visibility is not None or viewer else None,
                   viewer,
                   frozenset(as_list(filters.get("exclude_city_ids"))))

    @property
    def allows_nothing(self) -> bool:
        """True when no document can pass (a field with no allowed value, or no visibility and no viewer)."""
        if any(not values for _name, values in self.fields):
            return True
        return self.visibility is not None and not self.visibility and self.viewer_city_id is None

    @property
    def restricts(self) -> bool:
        """True when some document may be left out."""
        return bool(self.fields) or self.visibility is not None or bool(self.exclude_city_ids)

    def accepts(self, doc: Mapping) -> bool:
        """Return True when a plain document (``normalise_document``'s shape) passes (reference semantics)."""
        if self.allows_nothing:
            return False
        for name, values in self.fields:
            held = doc.get(name)
            held = set(held) if isinstance(held, (list, tuple, set, frozenset)) else {held}
            if not held & values:
                return False
        if str(doc.get("city_id")) in self.exclude_city_ids:
            return False
        if self.visibility is not None and doc.get("visibility") not in self.visibility:
            return self.viewer_city_id is not None and self.viewer_city_id in (doc.get("allowed_city_ids") or ())
        return True


FilterLike = Filter | Mapping[str, object] | None
# A scoring clause: (field, term, boost, use_idf) or (field, term, boost, use_idf, group).
Clause = tuple


def as_list(value) -> list[str]:
    """Return a value as a list of non-empty strings (None -> [], a scalar -> [it])."""
    if value is None:
        return []
    if isinstance(value, (list, tuple, set, frozenset)):
        return [str(v) for v in value if v is not None and str(v) != ""]
    return [str(value)]


def search_request(query_text, page, pagelen) -> tuple[str, int, int]:
    """Return a search's text cut at ``MAX_QUERY_CHARS``, its page (from 1) and page length (1 to 200), as every
    backend reads them: a page or length that is no number gives the first page of 20."""
    try:
        page = max(1, int(page))
        pagelen = max(1, min(int(pagelen), 200))
    except (TypeError, ValueError):
        page, pagelen = 1, 20
    return str(query_text or "")[:MAX_QUERY_CHARS], page, pagelen


def clean_term(value) -> str:
    """Return a keyword value as indexed: lower-case, inner spaces as underscores."""
    return re.sub(r"\s+", "_", str(value).strip().lower())


def normalise_document(doc: Mapping) -> dict:
    """Return the plain fields every backend stores for a document dict (unknown keys go into ``meta``).

    Keyword fields become de-duplicated lists of clean terms, id fields strings; ``text`` is the
    searched-only concatenation of title, body and the document's extra text.
    """
    if not doc.get("doc_id"):
        raise ValueError("a document needs a doc_id such as 'incident:12'")
    out = {"doc_id": str(doc["doc_id"]), "stamp": str(doc.get("stamp") or "")}
    out["kind"] = str(doc.get("kind") or str(doc["doc_id"]).split(":", 1)[0])
    for name in ("title", "body"):
        out[name] = str(doc.get(name) or "")
    out["text"] = " ".join([out["title"], out["body"], str(doc.get("text") or "")])
    for name in KEYWORD_FIELDS:
        values = [clean_term(v) for v in as_list(doc.get(name))]
        out[name] = list(dict.fromkeys(v for v in values if v))
    for name in ID_FIELDS:
        if doc.get(name) is not None:
            out[name] = str(doc[name])
    out["city_name"] = str(doc.get("city_name") or "")
    known = set(out) | {"stamp"}
    out["meta"] = {k: v for k, v in doc.items() if k not in known}
    return out


# -- the interface -----------------------------------------------------------------------------------

class SearchBackend(Protocol):
    """A search index that is a cache of the database: what ``crm.indexing``, peers and the features use.

    Changes come as (op, document-or-doc_id) pairs, op "upsert" or "delete". The backend records the
    last change-log id it applied (the watermark) with the change itself, and offers one apply lock so
    that a single process applies the change log at a time.
    """

    path: str  # where the index lives (a folder, a table, a URL): one index per path and process
    damage_errors: tuple[type[BaseException], ...]  # what reading a damaged index raises (rebuild)

    def missing(self) -> bool:
        """True when the index's storage is gone (a rebuild is needed)."""

    def doc_count(self) -> int:
        """The number of live documents."""

    def get(self, doc_id: str) -> dict | None:
        """The stored fields of one document (plain values), or None."""

    def stamps(self, kind: str | None = None) -> dict[str, str]:
        """{doc_id: stamp} of every document (optionally of one kind)."""

    def doc_frequencies(self, fieldname: str, terms: Iterable[str]) -> dict[str, int]:
        """How many documents hold each term of a field (0 for unknown terms; an IDF estimate that may
        count replaced or deleted documents until the engine merges them)."""

    def analyse(self, fieldname: str, text: str) -> list[str]:
        """The terms this backend indexes for text in a field (so scoring clauses can name them)."""

    def search(self, query_text: str, filters: FilterLike = None, page: int = 1, pagelen: int = 20,
               facets: Iterable[str] = ("kind", "region", "languages"), snippet_field: str = "body",
               ) -> SearchResult:
        """Free text (never parsed as syntax; empty matches all allowed) -> a page, total and facet counts."""

    def score_terms(self, clauses: Iterable[Clause], filters: FilterLike = None, limit: int = 200,
                    max_postings: int | None = None) -> list[Hit]:
        """Top documents by the summed boosts (times BM25 IDF when use_idf) of the clauses they hold."""

    def update_documents(self, docs: Iterable[dict], timeout: float = 10.0) -> int:
        """Add or replace documents by doc_id; return the count."""

    def delete_documents(self, doc_ids: Iterable[str], timeout: float = 10.0) -> int:
        """Delete documents by doc_id; return the count."""

    def try_apply(self, changes: Iterable[tuple[str, object]], change_id: int | None = None) -> bool:
        """Apply changes and record ``change_id`` as the watermark; False if another writer is busy."""

    def last_change_id(self) -> int | None:
        """The watermark: the last change-log id applied (None for an index never built)."""

    def set_last_change_id(self, change_id: int | None) -> None:
        """Record the watermark."""

    def rebuild(self, documents: Iterable[dict], progress: Callable[[int], None] | None = None,
                last_change_id: int | None = None) -> int:
        """Build every document into a fresh index and swap it in at once; return the count."""

    def apply_lock(self, *, wait: bool = False) -> AbstractContextManager[bool]:
        """Hold the change-log apply lock: yields True when held, False when another process has it."""

    def close(self) -> None:
        """Release what the backend holds open."""


def open_index(path: str, engine: str = "whoosh") -> SearchBackend:
    """Return this process's index at ``path`` for an engine of ``ENGINES`` (imported on first use)."""
    try:
        module = ENGINES[engine]
    except KeyError:
        raise ValueError(f"unknown search backend {engine!r} (known: {', '.join(ENGINES)})") from None
    return importlib.import_module(module).open_index(path)


# -- language helpers (Snowball stemmers and stopwords, for crm.peers.text and analysers) -------------

@cache
def language_stemmer(code: str) -> Callable[[str], str]:
    """Return the Snowball stem function for a two-letter language code (identity if none)."""
    from whoosh import lang  # the Snowball stemmers ship with Whoosh: imported only when asked for

    if code and lang.has_stemmer(code):
        return lang.stemmer_for_language(code)
    return lambda word: word


@cache
def language_stopwords(code: str) -> frozenset:
    """Return the Snowball stopword list for a two-letter language code (empty if none)."""
    from whoosh import lang

    if code and lang.has_stopwords(code):
        return frozenset(lang.stopwords_for_language(code))
    return frozenset()


class IndexStateCache:
    """Answers computed from an index, reused while the index's state and the question stay the same.

    The key is the index's state (its generation and the last change applied to it) plus the question: any
    change to the index gives a new key, so an answer is never stale. An index that does not record its state
    (``last_change_id()`` is None) is never cached. Keeps the ``size`` most recently used answers (lists,
    copied in and out, so a caller's changes never reach the cache).
    """

    def __init__(self, size: int = 128):
        import threading
        from collections import OrderedDict

        self.size = size
        self._answers: OrderedDict[tuple, list] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def state(ix) -> tuple | None:
        change = ix.last_change_id()
        if change is None:
            return None
        where = ix.generation_path() if hasattr(ix, "generation_path") else id(ix)
        return (type(ix).__name__, where, change)

    def get(self, ix, question: tuple, compute: Callable[[], list]) -> list:
        state = self.state(ix)
        key = None if state is None else (state, *question)
        if key is not None:
            with self._lock:
                if key in self._answers:
                    self._answers.move_to_end(key)
                    return list(self._answers[key])
        found = compute()
        if key is not None:
            with self._lock:
                self._answers[key] = list(found)
                while len(self._answers) > self.size:
                    self._answers.popitem(last=False)
        return found

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()
