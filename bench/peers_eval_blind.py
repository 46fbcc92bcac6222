"""Blind peer-search evaluation: real cities imported through `crm import`, queried through `crm peers --json`.

The set lives in bench/blind_eval/ (cities.csv, lessons.csv, facts.json, queries.json; see build.py and
grade.py there).  It was written without looking at the product's concepts or ranking code, and its
tune/test halves were fixed before any result was seen.

The script makes a fresh temporary folder with a new SQLite database (or a new PostgreSQL database with
--pg) and index, runs `crm db upgrade`, `crm import cities`, `crm import lessons`, then `crm peers
--json --limit 10 TEXT` for every query (in this process through click's CliRunner, or one fresh
process per query with --subprocess), and prints nDCG@5 per half, per category and per language,
beside a plain SQLite FTS5 BM25 baseline over the same city documents (incident summary plus the
city's lessons, query words OR-ed after removing stopwords).  Import or query failures are printed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SET_DIR = ROOT / "bench" / "blind_eval"
sys.path.insert(0, str(SET_DIR))
sys.path.insert(0, str(ROOT))

import grade  # noqa: E402

# Small stopword lists written for this baseline (function words only, per query language).
STOPWORDS = set("""
a an the of in on at to for from by with and or but not no is are was were be been has have had it its
this that these those as after before during into our we us our their they he she his her him who
which what how do did does there than then also all any some one two three last next yesterday today
de la le les des du un une et ou en au aux dans sur pour par avec est sont a été pas ne ce cette ces
qui que quoi son sa ses leur nous notre vers selon après avant pendant plus
der die das den dem des ein eine einer eines und oder in im am an auf mit von vom zu zur zum ist sind
war wurde wurden hat haben nicht kein keine sich er sie es wir unser unsere bei nach vor aus für
el la los las un una unos unas y o en del al con por para es son fue fueron ha han no se su sus que
lo le les como desde hay
og i på til av med en et ei er var ble har ikke det den de som om for fra mot under etter vi vår
il lo gli i le un uno una e o di da in con su per tra fra è sono stato stata ha hanno non si che del
della dei delle al alla nel nella dopo
het een en of in op aan met van voor door is zijn was werd heeft hebben niet geen er we ons onze na
och i på till av med en ett är var blev har inte det den de som om för från mot under efter vi vår
og i på til af med en et er var blev har ikke det den de som om for fra mod under efter vi vores
o a os as um uma e ou em no na nos nas do da dos das com por para é são foi foram não se seu sua que
w i z na do od po za o a ale nie jest są był była było się że to ten ta przez podczas wobec przed
ve veya bir bu şu ile için de da ki olan oldu değil ve
في من على إلى عن مع بعد قبل أن و أو هذا هذه التي الذي
ja tai on oli ei se ne että kun jossa
και ή το τα η ο οι του της των σε με από για στον στην στο ένα μια έναν
a i v ve na do z ze o u je byl byla bylo se že bez
""".split())

WORD = re.compile(r"\w+", re.UNICODE)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=(
            "Blind peer-search evaluation (bench/blind_eval/): import 90 real cities and their lessons "
            "through `crm import cities` / `crm import lessons` into a fresh temporary database, run "
            "`crm peers --json` for 66 queries in 16 languages, and print nDCG@5 (gains from coded "
            "facts, see bench/blind_eval/grade.py) per tune/test half, per category and per language, "
            "beside a plain SQLite FTS5 BM25 baseline over the same city documents."),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", action="store_true",
                        help="use a fresh PostgreSQL database on postgresql://postgres@127.0.0.1:5432 "
                             "(dropped at the end) instead of SQLite")
    parser.add_argument("--subprocess", action="store_true",
                        help="run every crm command as a fresh `crm` process (slower, exactly what an "
                             "outside evaluator does) instead of click's CliRunner in this process")
    parser.add_argument("--half", choices=("tune", "test", "all"), default="all",
                        help="only run the queries of one half (default: all, both reported)")
    parser.add_argument("--details", metavar="FILE",
                        help="write per-query results (top cities, gains, nDCG) as JSON to FILE")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print it")
    return parser.parse_args(argv)


class Crm:
    """Runs `crm` commands against one database and index, in-process or as subprocesses."""

    def __init__(self, env, use_subprocess):
        self.env = env
        self.use_subprocess = use_subprocess
        if not use_subprocess:
            from click.testing import CliRunner

            from crm.cli import main
            self.main = main
            self.runner = CliRunner()

    def __call__(self, *args):
        """Run one command; return (exit code, stdout, stderr)."""
        if self.use_subprocess:
            exe = Path(sys.executable).with_name("crm")
            proc = subprocess.run([str(exe), *args], env={**os.environ, **self.env},
                                  capture_output=True, text=True, cwd=self.env["_CWD"])
            return proc.returncode, proc.stdout, proc.stderr
        old_cwd = os.getcwd()
        os.chdir(self.env["_CWD"])
        try:
            env = {k: v for k, v in self.env.items() if not k.startswith("_")}
            result = self.runner.invoke(self.main, list(args), env=env, catch_exceptions=True)
        finally:
            os.chdir(old_cwd)
        err = ""
        if result.exception and not isinstance(result.exception, SystemExit):
            err = f"{type(result.exception).__name__}: {result.exception}"
        try:
            err = (result.stderr or "") + err
        except ValueError:
            pass
        return result.exit_code, result.stdout, err


def parse_peers(stdout):
    """The JSON list printed by `crm peers --json` (tolerating lines printed before it)."""
    start = stdout.find("[")
    if start < 0:
        raise ValueError("no JSON list in output")
    return json.loads(stdout[start:])


def city_key(item, known):
    """Map a printed peer to a facts.json (name, country) key."""
    name = grade.fold(str(item.get("city") or item.get("name") or ""))
    country = grade.fold(str(item.get("country") or ""))
    if (name, country) in known:
        return name, country
    same_name = [k for k in known if k[0] == name]
    if len(same_name) == 1:
        return same_name[0]
    return name, country


def city_documents():
    """One text per city: its incident summary and all its lessons (title, themes, body)."""
    docs = {}
    with open(SET_DIR / "cities.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            docs[row["name"]] = {"country": row["country"], "text": [row["incident_summary"]]}
    with open(SET_DIR / "lessons.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            docs[row["city"]]["text"] += [row["title"], row["themes"], row["body"]]
    return docs


class Bm25Baseline:
    """Plain SQLite FTS5 BM25 over the city documents, query words OR-ed, stopwords removed."""

    def __init__(self):
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE doc USING fts5(name UNINDEXED, country UNINDEXED, "
                        "body, tokenize = 'unicode61 remove_diacritics 2')")
        for name, doc in city_documents().items():
            self.db.execute("INSERT INTO doc VALUES (?, ?, ?)",
                            (name, doc["country"], "\n".join(doc["text"])))

    def rank(self, text, limit=10):
        words = []
        for word in WORD.findall(text.lower()):
            if word not in STOPWORDS and not word.isdigit() and word not in words:
                words.append(word)
        if not words:
            return []
        match = " OR ".join('"' + w.replace('"', "") + '"' for w in words)
        rows = self.db.execute("SELECT name, country FROM doc WHERE doc MATCH ? "
                               "ORDER BY bm25(doc) LIMIT ?", (match, limit)).fetchall()
        return [{"city": n, "country": c} for n, c in rows]


def mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else float("nan")


def print_table(title, rows, key):
    """Rows grouped by key(row): product and BM25 nDCG@5 for tune, test and both."""
    groups = defaultdict(list)
    for r in rows:
        groups[key(r)].append(r)
    print(f"\n{title}")
    print(f"| {'':14} | {'n tune/test':11} | {'product tune':12} | {'product test':12} | "
          f"{'product all':11} | {'BM25 tune':9} | {'BM25 test':9} | {'BM25 all':8} |")
    print("|" + "|".join("-" * (w + 2) for w in (14, 11, 12, 12, 11, 9, 9, 8)) + "|")
    for name in sorted(groups):
        rs = groups[name]
        tune = [r for r in rs if r["half"] == "tune"]
        test = [r for r in rs if r["half"] == "test"]

        def fmt(part, field):
            value = mean([r[field] for r in part])
            return "   -" if value != value else f"{value:.3f}"
        print(f"| {name:14} | {len(tune):>5}/{len(test):<5} | {fmt(tune, 'product'):>12} | "
              f"{fmt(test, 'product'):>12} | {fmt(rs, 'product'):>11} | {fmt(tune, 'bm25'):>9} | "
              f"{fmt(test, 'bm25'):>9} | {fmt(rs, 'bm25'):>8} |")


def create_pg_database():
    import psycopg2

    name = f"blind_eval_{uuid.uuid4().hex[:10]}"
    conn = psycopg2.connect("postgresql://postgres@127.0.0.1:5432/postgres")
    conn.autocommit = True
    conn.cursor().execute(f'CREATE DATABASE "{name}"')
    conn.close()
    return name


def drop_pg_database(name):
    import psycopg2

    conn = psycopg2.connect("postgresql://postgres@127.0.0.1:5432/postgres")
    conn.autocommit = True
    conn.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def main(argv=None):
    args = parse_args(argv)
    facts = grade.load_facts()
    queries = [q for q in grade.load_queries() if args.half in ("all", q["half"])]
    known = {(grade.fold(c["name"]), grade.fold(c["country"])) for c in facts["cities"]}

    tmp = Path(tempfile.mkdtemp(prefix="blind_eval_"))
    pg_name = create_pg_database() if args.pg else None
    url = (f"postgresql://postgres@127.0.0.1:5432/{pg_name}" if pg_name
           else f"sqlite:///{tmp / 'crm.sqlite3'}")
    env = {"CRM_DATABASE_URL": url, "CRM_INDEX_DIR": str(tmp / "index"),
           "CRM_SECRET_KEY": "blind-eval-" + uuid.uuid4().hex, "_CWD": str(tmp)}
    crm = Crm(env, args.subprocess)
    failures = []
    try:
        print(f"database: {'PostgreSQL ' + pg_name if pg_name else 'SQLite'}; "
              f"{'one process per command' if args.subprocess else 'CliRunner in this process'}")
        code, out, err = crm("db", "upgrade")
        print(f"crm db upgrade: exit {code}: {(out + err).strip()[:300]}")
        for kind, csv_path in (("cities", SET_DIR / "cities.csv"), ("lessons", SET_DIR / "lessons.csv")):
            code, out, err = crm("import", kind, str(csv_path))
            print(f"crm import {kind}: exit {code}")
            text = (out + err).strip()
            print("  " + "\n  ".join(text.splitlines()[:40]))
            if code != 0:
                failures.append(f"crm import {kind} exited {code}")
                code, out, err = crm("import", kind, "--only-valid", str(csv_path))
                print(f"crm import {kind} --only-valid: exit {code}")
                print("  " + "\n  ".join((out + err).strip().splitlines()[-5:]))
                if code != 0:
                    failures.append(f"crm import {kind} --only-valid exited {code}")

        bm25 = Bm25Baseline()
        rows = []
        started = time.perf_counter()
        for q in queries:
            gains = grade.gains(q, facts)
            code, out, err = crm("peers", "--json", "--limit", "10", q["text"])
            try:
                if code != 0:
                    raise ValueError(f"exit {code}: {(out + err).strip()[:200]}")
                printed = parse_peers(out)
            except ValueError as exc:
                failures.append(f"{q['id']}: crm peers failed: {exc}")
                printed = []
            if not printed:
                failures.append(f"{q['id']}: crm peers returned no city")
            ranked = [city_key(item, known) for item in printed]
            unknown = [k for k in ranked if k not in known]
            if unknown:
                failures.append(f"{q['id']}: printed cities not in the set: {unknown[:3]}")
            base = [city_key(item, known) for item in bm25.rank(q["text"])]
            rows.append({
                "id": q["id"], "half": q["half"], "language": q["language"],
                "category": q["category"], "product": grade.ndcg_at(ranked, gains),
                "bm25": grade.ndcg_at(base, gains),
                "product_top5": [[k[0], gains.get(k, 0)] for k in ranked[:5]],
                "bm25_top5": [[k[0], gains.get(k, 0)] for k in base[:5]],
            })
        elapsed = time.perf_counter() - started

        print(f"\n{len(rows)} queries in {elapsed:.1f} s; nDCG@5, gains from coded facts "
              "(bench/blind_eval/grade.py)")
        print_table("Overall", rows, key=lambda r: "all")
        print_table("By category", rows, key=lambda r: r["category"])
        print_table("By language", rows, key=lambda r: r["language"])
        print_table("English / other", rows,
                    key=lambda r: "English" if r["language"] == "en" else "not English")
        if failures:
            print(f"\nFailures ({len(failures)}):")
            for f in failures:
                print(f"  - {f}")
        else:
            print("\nNo failures.")
        if args.details:
            Path(args.details).write_text(json.dumps(rows, ensure_ascii=False, indent=1),
                                          encoding="utf-8")
    finally:
        if pg_name:
            drop_pg_database(pg_name)
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
