"""Peer-search benchmark on a synthetic network, beside a like-for-like SQLite FTS5 BM25 reference.

    python bench/peers_bench.py                    # 2,000 cities, 20,000 incidents+lessons, 100,000 contacts
    python bench/peers_bench.py --size 12200       # the same network scaled to 12,200 documents
    python bench/peers_bench.py --keep /tmp/pb     # keep documents and index; add --reuse to skip building them

Prints: generation and full rebuild times, incremental update time per document, then peer search
(``find_peers``, top 10) and the FTS5 reference timed over the same queries in five languages, both warmed
and interleaved query by query: p50, p95 and their ratio, with the load average beside them.

Like for like (issue 14): the FTS5 table holds the same documents as the terms Whoosh indexes (its own
analysers), and for each query runs the candidate searches ``find_peers`` makes (recorded in the warm-up
pass): the same analysed terms and concept keys, OR-ed, the same filters and the same candidate count
(150), ranked by BM25 and read back (title and body). Choosing the terms (language detection, concept
extraction) is part of the peers time only. It prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import pickle
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from crm import search  # noqa: E402
from crm.peers.concepts import load_vocabulary  # noqa: E402
from crm.peers.matching import (  # noqa: E402
    city_document,
    contact_document,
    find_peers,
    incident_document,
    lesson_document,
)

LANGS = ("en", "fr", "de", "es", "no")
FILLER = {
    "en": "the city response after first week we opened a centre for residents and worked with partners "
          "schools police health services teams council staff volunteers meeting public statement night "
          "morning families later months plan review lessons shared trust local leaders".split(),
    "fr": "la ville a ouvert un centre pour les habitants avec les partenaires les écoles la police les "
          "services de santé le conseil municipal la nuit le matin plus tard nous avons travaillé".split(),
    "de": "die Stadt hat ein Zentrum für Bewohner eröffnet mit Partnern Schulen Polizei Gesundheitsdienste "
          "Verwaltung in der Nacht am Morgen später wir haben gearbeitet".split(),
    "es": "la ciudad abrió un centro para los vecinos con socios escuelas policía servicios de salud el "
          "ayuntamiento por la noche por la mañana más tarde trabajamos".split(),
    "no": "byen åpnet et senter for innbyggerne sammen med partnere skoler politi helsetjenester kommunen "
          "om natten om morgenen senere vi jobbet".split(),
}
SEED = 7
PHASES = ("first_24_hours", "first_week", "first_months", "long_term", "preparing")
REGIONS = ("western_europe", "nordics", "north_america", "latin_america", "mena", "east_africa", "south_asia")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class Synth:
    """Generates cities, incidents, lessons, contacts and queries from the concept vocabulary."""

    def __init__(self, seed=SEED):
        self.rng = random.Random(seed)
        self.vocab = load_vocabulary()
        self.keys = {f: [k.split(":", 1)[1] for k in self.vocab.keys(f)]
                     for f in ("attack", "target", "motive", "aftermath", "theme")}

    def term(self, facet, key, lang):
        terms = self.vocab.concepts[f"{facet}:{key}"]["terms"].get(lang) or ["?"]
        return self.rng.choice(terms)

    def sentence(self, facets, lang, filler=12):
        words = []
        for facet, keys in facets.items():
            for key in keys:
                words.append(self.term(facet, key, lang))
        words += self.rng.sample(FILLER[lang], min(filler, len(FILLER[lang])))
        self.rng.shuffle(words)
        return " ".join(words).capitalize() + "."

    def facets(self):
        r = self.rng
        return {"attack": r.sample(self.keys["attack"], r.choice((1, 1, 2))),
                "target": r.sample(self.keys["target"], r.choice((1, 2))),
                "motive": r.sample(self.keys["motive"], r.choice((1, 1, 2))),
                "aftermath": r.sample(self.keys["aftermath"], 2)}

    def network(self, n_cities, n_docs, n_contacts):
        r = self.rng
        cities = []
        for i in range(n_cities):
            lang = r.choice(LANGS)
            cities.append({"id": str(i + 1), "name": f"City {i + 1}", "country": "XX",
                           "region": r.choice(REGIONS), "languages": sorted({lang, "en"}),
                           "status": "active" if r.random() > 0.05 else "suspended",
                           "expertise": r.sample(self.keys["theme"], 4), "lang": lang,
                           "description": self.sentence({"theme": r.sample(self.keys["theme"], 3)}, lang, 20)})
        incidents = []
        n_incidents = n_docs * 2 // 5
        for j in range(n_incidents):
            city = r.choice(cities)
            facets = self.facets()
            lang = city["lang"] if r.random() < 0.5 else "en"
            body = " ".join(self.sentence(facets if k == 0 else {"theme": r.sample(self.keys["theme"], 2)},
                                          lang, 18) for k in range(6))
            incidents.append((city, {"id": str(j + 1), "title": self.sentence(
                {"attack": facets["attack"], "target": facets["target"][:1]}, lang, 3)[:80],
                "summary": body, "occurred_on": f"{r.randint(1994, 2025)}-06-01", "facets": facets,
                "visibility": r.choice(("network", "public"))}))
        lessons = []
        for j in range(n_docs - n_incidents):
            city, incident = r.choice(incidents) if r.random() < 0.6 else (r.choice(cities), None)
            themes = r.sample(self.keys["theme"], 2)
            lang = city["lang"] if r.random() < 0.5 else "en"
            body = " ".join(self.sentence({"theme": themes}, lang, 20) for _ in range(6))
            lessons.append((city, incident, {"id": str(j + 1), "title": self.sentence({"theme": themes[:1]}, lang, 4)[:80],
                                              "body": body, "themes": themes, "phase": r.choice(PHASES),
                                              "visibility": r.choice(("network", "public"))}))
        contacts = []
        for j in range(n_contacts):
            city = r.choice(cities)
            contacts.append((city, {"id": str(j + 1), "name": f"Person {j + 1}",
                                    "position": " ".join(r.sample(FILLER["en"], 4)),
                                    "organisation": city["name"], "languages": city["languages"],
                                    "tags": r.sample(["focal point", "leader", "expert", "media"], 1)}))
        return cities, incidents, lessons, contacts

    def queries(self, n):
        out = []
        for i in range(n):
            lang = LANGS[i % len(LANGS)]
            r = self.rng
            facets = {"attack": r.sample(self.keys["attack"], 1), "target": r.sample(self.keys["target"], 1)}
            if r.random() < 0.6:
                facets["motive"] = r.sample(self.keys["motive"], 1)
            if r.random() < 0.3:
                facets["theme"] = r.sample(self.keys["theme"], 1)
            out.append(self.sentence(facets, lang, r.choice((3, 8, 20))))
        return out


def _document(task):
    kind, parts = task
    if kind == "city":
        return city_document(*parts)
    if kind == "incident":
        return incident_document(parts[1], parts[0])
    return lesson_document(parts[2], parts[0], parts[1])


def _documents(tasks):
    return [_document(task) for task in tasks]


def documents(cities, incidents, lessons, contacts, jobs=1):
    """Return the index documents of the network; ``jobs`` processes read the concepts of the texts."""
    tasks = ([("city", (city,)) for city in cities] + [("incident", pair) for pair in incidents]
             + [("lesson", triple) for triple in lessons])
    if jobs > 1 and len(tasks) > 1000:
        load_vocabulary()  # once, before the fork: the children inherit it
        chunks = [tasks[i:i + 250] for i in range(0, len(tasks), 250)]
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            out = [doc for chunk in pool.imap(_documents, chunks) for doc in chunk]
    else:
        out = _documents(tasks)
    out += [contact_document(contact, city) for city, contact in contacts]
    return out


class Recorder:
    """Wraps an index and records the candidate searches (``score_terms`` calls) a peer search makes.

    The FTS5 reference then runs exactly those searches: the same terms (the analysed, rarest words and the
    concept keys peers chose, stopwords and too-common words already left out), OR-ed as peers sums them,
    the same filters and the same number of candidates.
    """

    def __init__(self, index):
        self.index = index
        self.calls: list[tuple] = []

    def __getattr__(self, name):
        return getattr(self.index, name)

    def score_terms(self, clauses, filters=None, limit=200, max_postings=None):
        clauses = list(clauses)
        self.calls.append((clauses, filters, limit, max_postings))
        return self.index.score_terms(clauses, filters, limit=limit, max_postings=max_postings)


FTS_COLUMNS = ("doc_id", "kind", "city_id", "city_status", "visibility", "title", "body")  # table docs
FTS_FIELDS = ("title", "body", "text", "facets", "mentions", "languages")  # FTS5 table terms: analysed terms


def fts_rows(index, docs):
    """Yield (docs row, terms row) pairs: the filter columns and the stored title and body, then each searched
    field as the terms Whoosh indexes (its own analysers: English stems without stopwords, folded surface
    words, keyword lists)."""
    analysers = {name: index.schema[name].analyzer for name in ("title", "body", "text")}
    for rowid, doc in enumerate(docs, start=1):
        fields = search.prepare_document(doc)
        analysed = [" ".join(t.text for t in analysers[name](fields[name])) for name in ("title", "body", "text")]
        yield ((rowid, fields["doc_id"], fields["kind"], fields.get("city_id", ""), fields.get("city_status", ""),
                fields.get("visibility", ""), fields["title"], fields["body"]),
               (rowid, *analysed, fields["facets"].lower(), fields["mentions"].lower(), fields["languages"].lower()))


def fts_build(index, docs, db_path):
    """Build the FTS5 reference of the same documents; return (connection, seconds).

    The usual FTS5 layout: a contentless FTS5 table of the terms (BM25 needs no content) beside a plain table
    of the documents, joined on rowid; the filter columns come first in a row, the long body last.
    """
    con = sqlite3.connect(db_path)
    con.execute(f"CREATE TABLE docs (id INTEGER PRIMARY KEY, {', '.join(FTS_COLUMNS)})")
    # The text is analysed already: unicode61 only splits it again, and keeps "attack:ramming" one token.
    con.execute(f"CREATE VIRTUAL TABLE terms USING fts5({', '.join(FTS_FIELDS)}, content='', "
                "tokenize=\"unicode61 remove_diacritics 0 tokenchars ':_'\")")
    started = time.perf_counter()
    with con:
        for doc_row, terms_row in fts_rows(index, docs):
            con.execute(f"INSERT INTO docs VALUES ({', '.join('?' * len(doc_row))})", doc_row)
            con.execute(f"INSERT INTO terms(rowid, {', '.join(FTS_FIELDS)}) "
                        f"VALUES ({', '.join('?' * len(terms_row))})", terms_row)
    con.execute("INSERT INTO terms(terms) VALUES ('optimize')")
    con.commit()
    return con, time.perf_counter() - started


def fts_filters(filters) -> tuple[str, list]:
    """Return the SQL conditions (" AND ...") and parameters of a peers search's filters."""
    f = search.Filter.of(filters)
    conditions, params = [], []
    for fname, values in f.fields:
        if fname not in FTS_COLUMNS:
            raise ValueError(f"the FTS5 reference has no column for the filter {fname!r}")
        conditions.append(f"d.{fname} IN ({', '.join('?' * len(values))})")
        params += sorted(values)
    if f.visibility is not None:
        if f.viewer_city_id is not None:
            raise ValueError("the FTS5 reference does not model a viewer city (the bench searches as staff)")
        conditions.append(f"d.visibility IN ({', '.join('?' * len(f.visibility))})")
        params += sorted(f.visibility)
    if f.exclude_city_ids:
        conditions.append(f"d.city_id NOT IN ({', '.join('?' * len(f.exclude_city_ids))})")
        params += sorted(f.exclude_city_ids)
    return "".join(f" AND {c}" for c in conditions), params


def fts_statements(index, calls) -> list[tuple[str, list]]:
    """Translate recorded ``score_terms`` calls into FTS5 BM25 queries with the same terms, filters and limit.

    Terms ``score_terms`` skips (absent, or with IDF on and more than ``max_postings`` documents) are left out.
    """
    statements = []
    for clauses, filters, limit, max_postings in calls:
        terms = []
        for clause in clauses:
            fieldname, term, _boost, use_idf = clause[:4]
            term = str(term or "").lower()
            if fieldname not in FTS_FIELDS or not term:
                continue
            frequency = index.doc_frequencies(fieldname, [term]).get(term, 0)
            if not frequency or (max_postings and use_idf and frequency > max_postings):
                continue
            terms.append(f'{fieldname} : "{term}"')
        if not terms:
            continue
        where, params = fts_filters(filters)
        sql = (f"SELECT d.doc_id, d.kind, d.city_id, d.title, d.body FROM terms JOIN docs d ON d.id = terms.rowid "
               f"WHERE terms MATCH ?{where} ORDER BY bm25(terms) LIMIT ?")
        statements.append((sql, [" OR ".join(dict.fromkeys(terms)), *params, limit]))
    return statements


def load_average() -> str:
    return "load average {:.2f} {:.2f} {:.2f} ({} cores)".format(*os.getloadavg(), os.cpu_count())


DEFAULT_SIZES = {"cities": 2000, "docs": 20000, "contacts": 100000}  # 122,000 documents


def network_documents(args, folder):
    """Generate (or, with --keep --reuse, load) the documents; return (docs, incident count)."""
    cache = os.path.join(folder, "documents.pickle")
    key = (args.cities, args.docs, args.contacts, SEED)
    if args.reuse and os.path.exists(cache):
        with open(cache, "rb") as fh:
            stored_key, docs, n_incidents = pickle.load(fh)
        if stored_key == key:
            print(f"reusing the {len(docs):,} documents generated in {folder}")
            return docs, n_incidents
    t0 = time.perf_counter()
    cities, incidents, lessons, contacts = Synth(SEED).network(args.cities, args.docs, args.contacts)
    docs = documents(cities, incidents, lessons, contacts, jobs=args.jobs)
    print(f"generated {len(docs):,} documents ({args.cities:,} cities, {len(incidents):,} incidents, "
          f"{len(lessons):,} lessons, {len(contacts):,} contacts) in {time.perf_counter() - t0:.1f} s "
          f"(includes concept extraction, {args.jobs} processes)")
    if args.keep:
        with open(cache, "wb") as fh:
            pickle.dump((key, docs, len(incidents)), fh, protocol=pickle.HIGHEST_PROTOCOL)
    return docs, len(incidents)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, help="total documents; scales the default cities, incidents+lessons "
                        "and contacts (2,000 / 20,000 / 100,000 = 122,000) alike, e.g. --size 12200")
    parser.add_argument("--cities", type=int)
    parser.add_argument("--docs", type=int, help="incidents + lessons")
    parser.add_argument("--contacts", type=int)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--updates", type=int, default=30)
    parser.add_argument("--procs", type=int, default=1,
                        help="writer processes for the rebuild (1, as `crm search rebuild`: one segment)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="processes that build the documents (concept extraction); default: one per core")
    parser.add_argument("--keep", help="folder to keep the documents and index in (default: a temporary folder)")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: reuse the documents and index already there instead of rebuilding them")
    args = parser.parse_args(argv)
    scale = args.size / sum(DEFAULT_SIZES.values()) if args.size else 1.0
    for name, default in DEFAULT_SIZES.items():
        if getattr(args, name) is None:
            setattr(args, name, max(1, round(default * scale)))

    print(load_average() + " at the start")
    folder = args.keep or tempfile.mkdtemp(prefix="peers-bench-")
    os.makedirs(folder, exist_ok=True)
    try:
        run(args, folder)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


def run(args, folder):
    """Build (or reuse) the index and the FTS5 table, then time peers and FTS5 interleaved, and print."""
    docs, n_incidents = network_documents(args, folder)
    index = search.Index(os.path.join(folder, "index"))
    if args.reuse and index.doc_count() == len(docs):
        print(f"reusing the index in {folder} ({index.doc_count():,} documents)")
    else:
        t0 = time.perf_counter()
        index.rebuild(iter(docs), procs=args.procs)
        print(f"full rebuild: {time.perf_counter() - t0:.1f} s for {index.doc_count():,} documents "
              f"(procs={args.procs})")

    rng = random.Random(SEED + 1)
    update_times = []
    for doc in rng.sample(docs[:args.cities + n_incidents], min(args.updates, args.cities + n_incidents)):
        t0 = time.perf_counter()
        index.update_documents([dict(doc, stamp="v2")])
        update_times.append(time.perf_counter() - t0)
    if update_times:
        print(f"incremental update + commit: median {statistics.median(update_times) * 1000:.0f} ms, "
              f"p95 {percentile(update_times, 95) * 1000:.0f} ms per document")

    fts_path = os.path.join(folder, "fts.db")
    if os.path.exists(fts_path):
        os.remove(fts_path)
    con, build = fts_build(index, docs, fts_path)
    print(f"FTS5 build: {build:.1f} s (Whoosh's analysed terms of the same {len(docs):,} documents)")

    queries = Synth(SEED + 2).queries(args.queries)
    asking = [str(i % args.cities + 1) for i in range(len(queries))]

    def peers(i):
        return find_peers(index, queries[i], asking_city_id=asking[i], limit=10)

    # Warm-up pass (not timed): peers once per query, recording the searches it makes; FTS5 once per query.
    statements, candidates = [], []
    for i, text in enumerate(queries):
        recorder = Recorder(index)
        find_peers(recorder, text, asking_city_id=asking[i], limit=10)
        statements.append(fts_statements(index, recorder.calls))
        candidates.append(max((call[2] for call in recorder.calls), default=0))

    def fts(i):
        return [con.execute(sql, params).fetchall() for sql, params in statements[i]]

    rows = [sum(len(r) for r in fts(i)) for i in range(len(queries))]
    terms = [sum(sql_params[1][0].count(" OR ") + 1 for sql_params in statements[i]) for i in range(len(queries))]

    # Timed pass: interleaved query by query, the order swapped every other query (A B, B A, ...).
    print(load_average() + " before the timed pass")
    peer_times, fts_times = [], []
    for i in range(len(queries)):
        for which in ((peers, fts) if i % 2 == 0 else (fts, peers)):
            t0 = time.perf_counter()
            which(i)
            (peer_times if which is peers else fts_times).append(time.perf_counter() - t0)
    after = load_average()
    con.close()
    index.close()

    p50, p95 = statistics.median(peer_times) * 1000, percentile(peer_times, 95) * 1000
    f50, f95 = statistics.median(fts_times) * 1000, percentile(fts_times, 95) * 1000
    print(f"{len(queries)} queries in 5 languages, both warmed, interleaved; the FTS5 reference runs the searches "
          f"peers makes (limit {max(candidates)}; on average {statistics.mean(len(s) for s in statements):.1f} "
          f"searches, {statistics.mean(terms):.1f} OR-ed terms and {statistics.mean(rows):.0f} rows per query)")
    print(f"peer search (find_peers, top 10):   p50 {p50:6.1f} ms   p95 {p95:6.1f} ms")
    print(f"FTS5 BM25, same searches:           p50 {f50:6.1f} ms   p95 {f95:6.1f} ms")
    print(f"ratio peers/FTS5:                   p50 {p50 / f50:6.1f} x   p95 {p95 / f95:6.1f} x   "
          f"(goals: p95 < 100 ms, <= 4x)")
    print(after + " after the timed pass")


if __name__ == "__main__":
    main()
