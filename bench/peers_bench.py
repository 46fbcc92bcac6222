"""Peer-search benchmark on a synthetic network, beside SQLite FTS5 BM25 on the same documents.

    python bench/peers_bench.py                      # 2,000 cities, 20,000 incidents+lessons, 100,000 contacts
    python bench/peers_bench.py --cities 200 --docs 2000 --contacts 10000 --queries 100

Prints: full rebuild time, incremental update time per document, peer-search latency (median, p95)
over varied queries in five languages, and FTS5 BM25 latency (median, p95) for the same query texts.
"""

from __future__ import annotations

import argparse
import os
import random
import re
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
PHASES = ("first_24_hours", "first_week", "first_months", "long_term", "preparing")
REGIONS = ("western_europe", "nordics", "north_america", "latin_america", "mena", "east_africa", "south_asia")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class Synth:
    """Generates cities, incidents, lessons, contacts and queries from the concept vocabulary."""

    def __init__(self, seed=7):
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


def documents(cities, incidents, lessons, contacts):
    for city in cities:
        yield city_document(city)
    for city, incident in incidents:
        yield incident_document(incident, city)
    for city, incident, lesson in lessons:
        yield lesson_document(lesson, city, incident)
    for city, contact in contacts:
        yield contact_document(contact, city)


def fts_reference(docs, queries, db_path):
    """Build an FTS5 table of the same documents and time BM25 top-10 queries with snippets."""
    con = sqlite3.connect(db_path)
    con.execute("CREATE VIRTUAL TABLE docs USING fts5(doc_id UNINDEXED, kind UNINDEXED, title, body, "
                "tokenize='unicode61 remove_diacritics 2')")
    started = time.perf_counter()
    con.executemany("INSERT INTO docs VALUES (?, ?, ?, ?)",
                    ((d["doc_id"], d["kind"], d["title"], d["body"]) for d in docs))
    con.commit()
    build = time.perf_counter() - started
    times = []
    for text in queries:
        words = re.findall(r"[^\W_]+", text.lower())
        match = " OR ".join(f'"{w}"' for w in dict.fromkeys(words) if len(w) > 2) or '""'
        t0 = time.perf_counter()
        con.execute("SELECT doc_id, snippet(docs, 3, '<mark>', '</mark>', '…', 20) FROM docs "
                    "WHERE docs MATCH ? AND kind != 'contact' ORDER BY bm25(docs) LIMIT 10", (match,)).fetchall()
        times.append(time.perf_counter() - t0)
    con.close()
    return build, times


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, default=2000)
    parser.add_argument("--docs", type=int, default=20000, help="incidents + lessons")
    parser.add_argument("--contacts", type=int, default=100000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--updates", type=int, default=30)
    parser.add_argument("--procs", type=int, default=2, help="writer processes for the rebuild")
    parser.add_argument("--keep", help="folder to keep the index in (default: a temporary folder)")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: search the index already there instead of rebuilding it")
    args = parser.parse_args(argv)

    synth = Synth()
    t0 = time.perf_counter()
    cities, incidents, lessons, contacts = synth.network(args.cities, args.docs, args.contacts)
    docs = list(documents(cities, incidents, lessons, contacts))
    print(f"generated {len(docs):,} documents ({args.cities:,} cities, {len(incidents):,} incidents, "
          f"{len(lessons):,} lessons, {len(contacts):,} contacts) in {time.perf_counter() - t0:.1f} s "
          "(includes concept extraction)")

    folder = args.keep or tempfile.mkdtemp(prefix="peers-bench-")
    try:
        index = search.Index(os.path.join(folder, "index"))
        if args.reuse and index.doc_count() == len(docs):
            print(f"reusing the index in {folder} ({index.doc_count():,} documents)")
        else:
            t0 = time.perf_counter()
            index.rebuild(iter(docs), procs=args.procs)
            print(f"full rebuild: {time.perf_counter() - t0:.1f} s for {index.doc_count():,} documents")

        update_times = []
        for doc in synth.rng.sample(docs[:args.cities + len(incidents)], args.updates):
            t0 = time.perf_counter()
            index.update_documents([dict(doc, stamp="v2")])
            update_times.append(time.perf_counter() - t0)
        print(f"incremental update + commit: median {statistics.median(update_times) * 1000:.0f} ms, "
              f"p95 {percentile(update_times, 95) * 1000:.0f} ms per document")

        queries = synth.queries(args.queries)
        find_peers(index, queries[0])  # warm the vocabulary, searcher and caches
        peer_times = []
        for i, text in enumerate(queries):
            t0 = time.perf_counter()
            find_peers(index, text, asking_city_id=str(i % args.cities + 1), limit=10)
            peer_times.append(time.perf_counter() - t0)
        fts_path = os.path.join(folder, "fts.db")
        if os.path.exists(fts_path):
            os.remove(fts_path)
        build, fts_times = fts_reference(docs, queries, fts_path)
        p50, p95 = statistics.median(peer_times) * 1000, percentile(peer_times, 95) * 1000
        f50, f95 = statistics.median(fts_times) * 1000, percentile(fts_times, 95) * 1000
        print(f"peer search ({len(queries)} queries, 5 languages): median {p50:.1f} ms, p95 {p95:.1f} ms")
        print(f"FTS5 BM25 top 10 + snippet, same texts:      median {f50:.1f} ms, p95 {f95:.1f} ms "
              f"(FTS5 build {build:.1f} s)")
        print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(f"ratio peer/FTS5: median {p50 / f50:.1f}x, p95 {p95 / f95:.1f}x; "
              f"target p95 < 100 ms: {'met' if p95 < 100 else 'NOT met'}")
        index.close()
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
