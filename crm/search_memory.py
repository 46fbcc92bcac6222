"""A small in-memory search backend: the second implementation that proves the seam is real.

It satisfies ``crm.search_backend.SearchBackend`` with plain Python (dicts and sets, no engine) and
passes the same contract tests as the Whoosh backend (tests/test_search_contract.py). It keeps nothing
on disk: an index lives as long as the process, one per path. Meant for tests and as a template for
another engine (``SEARCH_BACKEND = "memory"``), not for production.
"""

from __future__ import annotations

import html
import math
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from crm.search_backend import (
    FACETABLE,
    ID_FIELDS,
    KEYWORD_FIELDS,
    MAX_QUERY_CHARS,
    MAX_QUERY_TERMS,
    TEXT_FIELDS,
    Clause,
    Filter,
    FilterLike,
    Hit,
    SearchResult,
    language_stemmer,
    language_stopwords,
    normalise_document,
    search_request,
)

_WORD = re.compile(r"[^\W_]+")
TITLE_BOOST = 1.5


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def analyse_text(fieldname: str, text: str) -> list[str]:
    """Return the terms of text for a field: folded words; English stems without stopwords on title/body."""
    words = [_fold(w.lower()) for w in _WORD.findall(str(text))]
    if fieldname in ("title", "body"):
        stop, stem = language_stopwords("en"), language_stemmer("en")
        return [stem(w) for w in words if len(w) > 1 and w not in stop]
    if fieldname == "text":
        return words
    if fieldname in KEYWORD_FIELDS:
        return [w.lower() for w in str(text).split()]
    return [str(text)]


class MemoryIndex:
    """Documents in a dict, with their terms per field in sets: searched by scanning (small data only)."""

    damage_errors: tuple[type[BaseException], ...] = ()  # memory is never found damaged

    def __init__(self, path: str):
        self.path = path
        self._docs: dict[str, dict] = {}
        self._terms: dict[str, dict[str, set[str]]] = {}
        self._watermark: int | None = None
        self._write = threading.Lock()
        self._apply = threading.Lock()

    # writing ---------------------------------------------------------------------------------------

    def _put(self, docs: dict, terms: dict, doc: dict) -> None:
        plain = normalise_document(doc)
        fields = {}
        for name in TEXT_FIELDS:
            fields[name] = set(analyse_text(name, plain[name]))
        for name in KEYWORD_FIELDS:
            fields[name] = set(plain[name])
        for name in ID_FIELDS:
            if name in plain:
                fields[name] = {plain[name]}
        plain.pop("text")
        docs[plain["doc_id"]] = plain
        terms[plain["doc_id"]] = fields

    def _changes(self, docs: dict, terms: dict, changes: Iterable[tuple[str, object]]) -> int:
        changes = list(changes)
        for op, _doc in changes:
            if op not in ("upsert", "update", "add", "delete"):
                raise ValueError(f"unknown index change {op!r}")
        count = 0
        for op, doc in changes:
            doc_id = str(doc.get("doc_id") if isinstance(doc, dict) else doc)
            if op == "delete":
                docs.pop(doc_id, None)
                terms.pop(doc_id, None)
            else:
                self._put(docs, terms, doc)
            count += 1
        return count

    def _commit(self, changes, change_id=None, blocking=True, timeout=10.0) -> int | None:
        if not self._write.acquire(blocking, timeout if blocking else -1):
            return None
        try:
            docs, terms = dict(self._docs), dict(self._terms)  # all or nothing, like a commit
            count = self._changes(docs, terms, changes)
            self._docs, self._terms = docs, terms
            if change_id is not None:
                self._watermark = change_id
            return count
        finally:
            self._write.release()

    def update_documents(self, docs: Iterable[dict], timeout: float = 10.0) -> int:
        """Add or replace documents by doc_id; return the count."""
        return self._commit([("upsert", d) for d in docs], timeout=timeout) or 0

    def delete_documents(self, doc_ids: Iterable[str], timeout: float = 10.0) -> int:
        """Delete documents by doc_id; return the count."""
        return self._commit([("delete", d) for d in doc_ids], timeout=timeout) or 0

    def try_apply(self, changes: Iterable[tuple[str, object]], change_id: int | None = None) -> bool:
        """Apply changes and record the watermark unless another writer is busy (then False)."""
        return self._commit(changes, change_id, blocking=False) is not None

    def last_change_id(self) -> int | None:
        """The last change-log id applied (None for an index never built)."""
        return self._watermark

    def set_last_change_id(self, change_id: int | None) -> None:
        """Record the watermark."""
        self._watermark = change_id

    def rebuild(self, documents: Iterable[dict], progress: Callable[[int], None] | None = None,
                last_change_id: int | None = None) -> int:
        """Build every document into fresh dicts and swap them in at once; return the count."""
        docs, terms = {}, {}
        count = 0
        for doc in documents:
            self._put(docs, terms, doc)
            count += 1
        with self._write:
            self._docs, self._terms, self._watermark = docs, terms, last_change_id
        if progress is not None:
            progress(count)
        return count

    @contextmanager
    def apply_lock(self, *, wait: bool = False) -> Iterator[bool]:
        """Hold the apply lock (a thread lock: one process is the whole world of this backend)."""
        held = self._apply.acquire(wait)
        try:
            yield held
        finally:
            if held:
                self._apply.release()

    def missing(self) -> bool:
        """Memory is never missing."""
        return False

    def close(self) -> None:
        """Nothing is held open."""

    # reading ---------------------------------------------------------------------------------------

    def doc_count(self) -> int:
        """The number of documents."""
        return len(self._docs)

    def get(self, doc_id: str) -> dict | None:
        """The stored fields of one document, or None."""
        doc = self._docs.get(str(doc_id))
        return None if doc is None else {**doc, **{k: list(doc[k]) for k in KEYWORD_FIELDS}}

    def stamps(self, kind: str | None = None) -> dict[str, str]:
        """{doc_id: stamp} of every document (optionally of one kind)."""
        return {d: doc["stamp"] for d, doc in self._docs.items() if kind is None or doc["kind"] == kind}

    def doc_frequencies(self, fieldname: str, terms: Iterable[str]) -> dict[str, int]:
        """How many documents hold each term of a field."""
        wanted = list(terms)
        counts = Counter(t for fields in self._terms.values() for t in fields.get(fieldname, ()))
        return {t: counts.get(t, 0) for t in wanted}

    def analyse(self, fieldname: str, text: str) -> list[str]:
        """The terms this backend indexes for text in a field."""
        return analyse_text(fieldname, str(text)[:MAX_QUERY_CHARS])

    def _allowed(self, filters: FilterLike) -> list[str]:
        f = Filter.of(filters)
        return [d for d, doc in self._docs.items() if f.accepts(doc)]

    def search(self, query_text: str, filters: FilterLike = None, page: int = 1, pagelen: int = 20,
               facets: Iterable[str] = ("kind", "region", "languages"), snippet_field: str = "body",
               ) -> SearchResult:
        """Documents holding any word of the text (all allowed ones for an empty text), best first."""
        text, page, pagelen = search_request(query_text, page, pagelen)
        wanted = {name: list(dict.fromkeys(self.analyse(name, text)))[:MAX_QUERY_TERMS] for name in TEXT_FIELDS}
        if text.strip() and not any(wanted.values()):
            return SearchResult([], 0, page, pagelen, {})
        total = max(1, len(self._docs))
        frequencies = {(n, t): c for n, terms in wanted.items()
                       for t, c in self.doc_frequencies(n, terms).items()}
        scored = []
        for doc_id in self._allowed(filters):
            fields = self._terms[doc_id]
            score = 0.0
            for name, terms in wanted.items():
                for term in terms:
                    if term in fields[name]:
                        df = frequencies[(name, term)]
                        idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
                        score += idf * (TITLE_BOOST if name == "title" else 1.0)
            if score or not text.strip():
                scored.append((-score, doc_id))
        scored.sort()
        counts = {}
        for name in facets or ():
            if name in FACETABLE:
                counter: Counter = Counter()
                for _score, doc_id in scored:
                    counter.update(self._terms[doc_id].get(name, ()))
                counts[name] = dict(counter)
        hits = []
        for negative, doc_id in scored[(page - 1) * pagelen:page * pagelen]:
            stored = self.get(doc_id)
            hits.append(Hit(doc_id, stored["kind"], -negative, stored,
                            _snippet(stored.get(snippet_field, ""), set(wanted["body"]))))
        return SearchResult(hits, len(scored), page, pagelen, counts)

    def score_terms(self, clauses: Iterable[Clause], filters: FilterLike = None, limit: int = 200,
                    max_postings: int | None = None) -> list[Hit]:
        """Top documents by the summed boosts (times BM25 IDF when use_idf) of the clauses they hold."""
        f = Filter.of(filters)
        if f.allows_nothing:
            return []
        total = max(1, len(self._docs))
        scores: dict[str, float] = {}
        parts: dict[str, dict[str, float]] = {}
        for clause in clauses:
            fieldname, term, boost, use_idf = clause[:4]
            group = parts.setdefault(clause[4], {}) if len(clause) > 4 and clause[4] else None
            if not term:
                continue
            holders = [d for d, fields in self._terms.items() if str(term) in fields.get(fieldname, ())]
            if not holders or (max_postings and use_idf and len(holders) > max_postings):
                continue
            weight = float(boost)
            if use_idf:
                weight *= math.log(1 + (total - len(holders) + 0.5) / (len(holders) + 0.5))
            for doc_id in holders:
                scores[doc_id] = scores.get(doc_id, 0.0) + weight
                if group is not None:
                    group[doc_id] = group.get(doc_id, 0.0) + weight
        best = sorted(((-s, d) for d, s in scores.items() if f.accepts(self._docs[d])))[:limit]
        hits = []
        for negative, doc_id in best:
            stored = self.get(doc_id)
            hits.append(Hit(doc_id, stored["kind"], -negative, stored,
                            parts={name: values.get(doc_id, 0.0) for name, values in parts.items()}))
        return hits


def _snippet(text: str, stems: set[str], width: int = 240) -> str:
    """Return the start of text, HTML-escaped, with words whose stem was searched marked."""
    if not text:
        return ""
    stem = language_stemmer("en")

    marked = []

    def mark(match):
        word = match.group(0)
        if stem(_fold(word.lower())) not in stems:
            return word
        marked.append(word)
        return f"<mark>{word}</mark>"

    snippet = _WORD.sub(mark, html.escape(text[:width]))
    return snippet if marked else ""


_OPEN: dict[str, MemoryIndex] = {}
_OPEN_LOCK = threading.Lock()


def open_index(path: str) -> MemoryIndex:
    """Return this process's in-memory index for a path (created empty)."""
    with _OPEN_LOCK:
        if path not in _OPEN:
            _OPEN[path] = MemoryIndex(path)
        return _OPEN[path]
