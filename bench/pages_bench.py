"""Pages bench: each main page's throughput beside a bare Flask page, interleaved, on SQLite and PostgreSQL.

Builds a fresh instance in a temporary folder (migrations, demo data, a workspace, the search index; with
``--big`` 2,000 cities and 100,000 contacts more), then serves the CRM and the bare references
(bench/references/bare_app.py: a Jinja page, and a page running one peewee query on the same database) with
the same gunicorn settings (``-w 2``, 127.0.0.1). Signed in as staff (one session cookie, reused), it sends
bursts of requests (concurrency 8) to each page in turn, shuffled, round after round, and prints for each page
its throughput as a share of the bare one-query page's, its p50/p95 beside the bare page's, and the load
average of the machine. ``--pg`` runs the same on a temporary PostgreSQL database (CRM_BENCH_PG_URL, default
postgresql://postgres@127.0.0.1:5432/postgres). ``--registrations`` also times the public registration flow
(GET form + POST with CSRF) beside the bare lock-count-insert flow.

Run: .venv/bin/python bench/pages_bench.py [--pg] [--big] [--registrations] [--rounds N] [--budget SECONDS]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The code under test: this checkout, or another one given with --app-root (an A/B run against a copy of an
# older commit, e.g. ``git archive HEAD~3 | tar -x -C /tmp/base``).
APP_ROOT = ROOT
if "--app-root" in sys.argv[1:-1]:
    APP_ROOT = Path(sys.argv[sys.argv.index("--app-root") + 1]).resolve()
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(APP_ROOT))

import peewee  # noqa: E402

from bench.common import temporary_pg_database  # noqa: E402
from tests.events.server import free_port, terminate  # noqa: E402

BIN = Path(sys.executable).parent
PG_URL = os.environ.get("CRM_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SECRET = "bench-secret-key-long-enough-for-gunicorn-0123456789"
STAFF = ("staff@example.org", "demo-staff-2026")
PEERS_QUERY = "A man drove a van into people leaving Friday prayers at a mosque; families ask for one point of contact"
# The search page and /api/peers keep a result while the index is unchanged, so asking one question again and
# again measures that cache: these rows ask a different question each time (more of them than either cache holds).
_ATTACKS = ("a van drove into a crowd", "a shooting at a synagogue", "an arson attack on a mosque", "a knife attack at a "
            "festival", "a bomb at a concert", "a gunman at a gay bar", "threats against a Roma school", "a car ramming "
            "at a market", "a stabbing outside a church", "an attack on a refugee shelter", "a shooting at a "
            "shisha bar", "graffiti and arson at a Jewish cemetery")
_NEEDS = ("the vigil", "victim support", "rumours online", "the memorial", "the first anniversary", "community "
          "tension", "schools reopening", "a helpline for families", "the mayor's statement", "counselling",
          "the site visit", "press questions", "volunteers", "interfaith meeting", "funeral arrangements",
          "translation for families", "police liaison", "the trial", "a commemoration", "small businesses")
PEER_QUESTIONS = [f"After {attack}, how did you handle {need}?" for attack in _ATTACKS for need in _NEEDS]
SEARCH_QUESTIONS = [f"{attack.split()[-1]} {need.split()[-1]}" for attack in _ATTACKS for need in _NEEDS]


class Server:
    """``gunicorn -w N`` on 127.0.0.1 serving ``target`` from ``cwd`` with ``env``; ``stop()`` ends it."""

    def __init__(self, target: str, cwd: Path, env: dict, workers: int, probe: str):
        self.port = free_port()
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--no-control-socket", "-w", str(workers), "-b", f"127.0.0.1:{self.port}",
             "--timeout", "60", "--graceful-timeout", "5", target],
            cwd=cwd, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
            stderr=None if os.environ.get("CRM_SHOW_SERVER_LOG") else subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {target} exited with {self.process.returncode}")
            try:
                if request(self.port, probe)[0] < 500:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn {target} did not answer in time")

    def stop(self) -> None:
        terminate(self.process)


def request(port: int, path: str, *, method: str = "GET", body: bytes | None = None,
            cookie: str = "") -> tuple[int, bytes, dict]:
    """One request on a new connection (as ab does without -k); returns status, body, headers."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Cookie": cookie} if cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


def _cookie(headers: dict, old: str = "") -> str:
    jar = dict(part.split("=", 1) for part in old.split("; ") if "=" in part)
    for key, value in headers.items():
        if key.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name] = rest.split(";", 1)[0]
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def _csrf(html: bytes) -> str:
    match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', html)
    return match.group(1).decode() if match else ""


def sign_in(port: int) -> str:
    """Sign in as the demo staff user; return the session cookie header."""
    status, html, headers = request(port, "/account/login")
    cookie = _cookie(headers)
    body = urllib.parse.urlencode({"csrf_token": _csrf(html), "email": STAFF[0], "password": STAFF[1]}).encode()
    status, _, headers = request(port, "/account/login", method="POST", body=body, cookie=cookie)
    if status != 302:
        raise RuntimeError(f"staff sign-in answered {status}")
    return _cookie(headers, cookie)


def burst(port: int, path, cookie: str, count: int, concurrency: int, deadline: float) -> tuple[int, float, list, int]:
    """Send ``count`` GETs, ``concurrency`` at a time (stop early at ``deadline``): (done, seconds, latencies, errors).

    ``path`` is one path, or an iterator of paths (each request takes the next one)."""
    latencies: list[float] = []
    errors = [0]
    left = [count]
    lock = threading.Lock()
    paths = itertools.repeat(path) if isinstance(path, str) else path

    def worker():
        while True:
            with lock:
                if left[0] <= 0 or time.monotonic() > deadline:
                    return
                left[0] -= 1
                path = next(paths)
            started = time.perf_counter()
            try:
                status = request(port, path, cookie=cookie)[0]
            except OSError:
                status = 0
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if status != 200:
                    errors[0] += 1

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies), time.perf_counter() - started, latencies, errors[0]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")


def load() -> str:
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


# ---------------------------------------------------------------------------------------------- the data


def _crm(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "crm", *args], cwd=APP_ROOT,
                   env={**os.environ, **env, "PYTHONPATH": str(APP_ROOT)}, check=True, stdout=subprocess.DEVNULL)


def prepare(url: str, env: dict, big: bool) -> dict:
    """Migrate, seed the demo network (and the big network); return the ids the page paths need."""
    _crm(env, "db", "upgrade")
    _crm(env, "seed", "--demo")
    from crm import create_app
    from crm.accounts.models import User
    from crm.db import database
    from crm.events.models import Event, Registration
    from crm.membership.models import City
    from crm.workspace import services as workspaces

    app = create_app({"TESTING": True, "SECRET_KEY": SECRET, "DATABASE_URL": url, "INDEX_DIR": env["CRM_INDEX_DIR"],
                      "MAIL_SUPPRESS_SEND": True})
    with app.app_context():
        database.connect(reuse_if_open=True)
        if big:
            _big_network()
        member = User.get(User.email == "member@example.org")
        city = City.get_by_id(member.city_id) if member.city_id else City.select().where(City.status == "active").first()
        if member.city_id is None:
            member.city = city.id
            member.save()
        workspace = workspaces.open_workspace(city, {
            "title": "Vehicle attack at the mosque", "description": PEERS_QUERY, "phase": "first_week"}, actor=member)
        busiest = (Event.select(Event.id).join(Registration).group_by(Event.id)
                   .order_by(peewee.fn.COUNT(Registration.id).desc()).first())
        ids = {"city": City.select(City.id).order_by(City.id).first().id, "event": busiest.id,
               "registrations": Registration.select().where(Registration.event == busiest.id).count(),
               "workspace": workspace.id, "cities": City.select().count()}
        from crm.contacts.models import Contact

        ids["contacts"] = Contact.select().count()
        if url.startswith("postgres"):
            database.execute_sql("ANALYZE")
        database.close()
    _crm(env, "search", "rebuild")
    return ids


def _big_network(cities: int = 2000, contacts: int = 100_000) -> None:
    """Add member cities and contacts up to the issue's large size (same generator as contacts_bench)."""
    from contacts_bench import FIRST, LAST, SECTORS

    from crm.contacts.models import Contact
    from crm.core.names import fold_name
    from crm.db import database
    from crm.membership.models import City

    rnd = random.Random(3)
    regions = ["europe", "africa", "asia_pacific", "americas", "mena"]
    have = City.select().count()
    with database.atomic():
        rows = [{"name": f"Benchcity {i}", "name_key": fold_name(f"Benchcity {i}"), "country": "FR",
                 "region": rnd.choice(regions), "status": "active", "languages": ["en"], "expertise": []}
                for i in range(max(0, cities - have))]
        for start in range(0, len(rows), 500):
            City.insert_many(rows[start:start + 500]).execute()
    city_ids = [c.id for c in City.select(City.id)]
    have = Contact.select().count()
    with database.atomic():
        rows = []
        for i in range(max(0, contacts - have)):
            name = f"{rnd.choice(FIRST)} {rnd.choice(LAST)} {i}"
            rows.append({"name": name, "name_key": fold_name(name), "email": f"p{i}@bulk.example.org",
                         "organisation": f"Org {i % 500}", "sector": rnd.choice(SECTORS),
                         "city": rnd.choice(city_ids) if i % 3 else None, "languages": ["en"], "tags": []})
            if len(rows) == 1000:
                Contact.insert_many(rows).execute()
                rows = []
        if rows:
            Contact.insert_many(rows).execute()


# ----------------------------------------------------------------------------------------------- the run


def pages(ids: dict) -> dict[str, tuple[str, str]]:
    """Page label -> (server, path)."""
    return {
        "bare Jinja page": ("bare", "/jinja"),
        "bare one-query page": ("bare", "/query"),
        "dashboard /": ("crm", "/"),
        "cities list": ("crm", "/cities/"),
        "contacts list": ("crm", "/contacts/"),
        "events list": ("crm", "/events/"),
        f"participants ({ids['registrations']})": ("crm", f"/events/{ids['event']}/participants"),
        "search": ("crm", "/search?q=" + urllib.parse.quote("vigil mosque")),
        "search, new questions": ("crm", ["/search?q=" + urllib.parse.quote(q) for q in SEARCH_QUESTIONS]),
        "/api/peers": ("crm", "/api/peers?q=" + urllib.parse.quote(PEERS_QUERY)),
        "/api/peers, new questions": ("crm", ["/api/peers?q=" + urllib.parse.quote(q) for q in PEER_QUESTIONS]),
        "city page": ("crm", f"/cities/{ids['city']}"),
        "workspace": ("crm", f"/workspace/{ids['workspace']}"),
    }


def run_pages(ports: dict, cookie: str, targets: dict, args) -> dict:
    """Interleave bursts over every page, round after round; return figures per page."""
    for label, (server, path) in targets.items():  # warm every worker, and check every page answers 200
        for warm in ([path] * 4 if isinstance(path, str) else path[:4]):
            status = request(ports[server], warm, cookie=cookie)[0]
            if status != 200:
                raise RuntimeError(f"{label} {warm} answered {status}")
    # a list of paths is asked in turn, round after round (the first four were the warm-up)
    paths = {label: path if isinstance(path, str) else itertools.cycle(path[4:] + path[:4])
             for label, (_server, path) in targets.items()}
    stats = {label: {"done": 0, "seconds": 0.0, "latencies": [], "errors": 0} for label in targets}
    stop = time.monotonic() + args.budget
    rnd = random.Random(1)
    rounds = 0
    while rounds < args.rounds and (rounds < 2 or time.monotonic() < stop):
        order = list(targets)
        rnd.shuffle(order)
        for label in order:
            server = targets[label][0]
            done, seconds, latencies, errors = burst(ports[server], paths[label], cookie, args.requests, args.concurrency,
                                                     time.monotonic() + args.burst_seconds)
            entry = stats[label]
            entry["done"] += done
            entry["seconds"] += seconds
            entry["latencies"] += latencies
            entry["errors"] += errors
        rounds += 1
    for entry in stats.values():
        entry["per_second"] = entry["done"] / entry["seconds"] if entry["seconds"] else 0.0
        entry["p50"] = percentile(entry["latencies"], 50) * 1000
        entry["p95"] = percentile(entry["latencies"], 95) * 1000
    stats["_rounds"] = rounds
    return stats


def print_pages(label: str, stats: dict, args) -> None:
    bare = stats["bare one-query page"]
    print(f"{label}: {stats['_rounds']} rounds of {args.requests} requests per page, concurrency {args.concurrency}, "
          f"gunicorn -w {args.workers}; {load()}")
    print(f"  {'page':<26} {'req/s':>7} {'vs bare':>8} {'p50 ms':>7} {'p95 ms':>7} {'p95 vs bare':>11}  errors")
    for name, entry in stats.items():
        if name.startswith("_"):
            continue
        ratio = entry["per_second"] / bare["per_second"] if bare["per_second"] else float("nan")
        share = f"1/{1 / ratio:.1f}" if ratio < 1 else f"{ratio:.2f}x"
        p95 = entry["p95"] / bare["p95"] if bare["p95"] else float("nan")
        goal = "" if name.startswith("bare") else ("  ok" if ratio >= 1 / 3 and p95 <= 3 else "  BELOW GOAL")
        print(f"  {name:<26} {entry['per_second']:7.1f} {share:>8} {entry['p50']:7.1f} {entry['p95']:7.1f} "
              f"{p95:10.1f}x  {entry['errors']}{goal}")


def run_registrations(ports: dict, url: str, args) -> list[tuple[str, float, int]]:
    """Register ``args.people`` people on an event of 100 seats through the CRM and through the bare flow."""
    from crm import create_app
    from crm.db import database
    from crm.events.models import Event, Registration

    app = create_app({"TESTING": True, "SECRET_KEY": SECRET, "DATABASE_URL": url, "MAIL_SUPPRESS_SEND": True})
    with app.app_context():
        database.connect(reuse_if_open=True)
        sample = Event.select().where(Event.visibility == "public", Event.status == "published").first()
        event = Event.create(title=f"Bench registrations {uuid.uuid4().hex[:6]}", kind="workshop",
                             timezone=sample.timezone, starts_at=sample.starts_at, ends_at=sample.ends_at,
                             capacity=100, status="published", visibility="public")
        database.execute_sql("CREATE TABLE IF NOT EXISTS bare_event (id INTEGER PRIMARY KEY, capacity INTEGER NOT NULL)")
        database.execute_sql("CREATE TABLE IF NOT EXISTS bare_registration (id " + (
            "SERIAL" if url.startswith("postgres") else "INTEGER") + " PRIMARY KEY, event INTEGER NOT NULL, "
            "email VARCHAR(255) NOT NULL, name VARCHAR(255) NOT NULL, status VARCHAR(20) NOT NULL, "
            "waiting_position INTEGER)")
        database.execute_sql("CREATE INDEX IF NOT EXISTS bare_registration_event ON bare_registration (event)")
        database.execute_sql(f"INSERT INTO bare_event (id, capacity) VALUES ({int(event.id)}, 100)")
        database.close()
    flows = {"CRM registration": ("crm", f"/events/{event.id}/join"),
             "bare lock-count-insert": ("bare", f"/join/{event.id}")}
    results = []
    counter = iter(range(10 ** 6))
    for _ in range(2):  # interleaved: CRM, bare, CRM, bare
        for name, (server, path) in flows.items():
            lock = threading.Lock()
            left = [args.people // 2]
            done = [0]

            def worker(server=server, path=path, lock=lock, left=left, done=done):
                while True:
                    with lock:
                        if left[0] <= 0:
                            return
                        left[0] -= 1
                        n = next(counter)
                    status, html, headers = request(ports[server], path)
                    cookie = _cookie(headers)
                    body = urllib.parse.urlencode({
                        "csrf_token": _csrf(html), "name": f"Participant {n:05d}",
                        "email": f"participant{n:05d}@example.org", "organisation": "Bench City",
                        "sector": "city_government", "city": "", "consent_listed": "y"}).encode()
                    status, _, _ = request(ports[server], path, method="POST", body=body, cookie=cookie)
                    with lock:
                        done[0] += status == 200

            threads = [threading.Thread(target=worker) for _ in range(args.reg_concurrency)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            results.append((name, time.perf_counter() - started, done[0]))
    with app.app_context():
        database.connect(reuse_if_open=True)
        registered = Registration.select().where(Registration.event == event.id,
                                                 Registration.status == "registered").count()
        database.close()
    if registered != 100:
        raise RuntimeError(f"capacity broken: {registered} registered on 100 seats")
    return results


def print_registrations(label: str, results, args) -> None:
    totals: dict[str, list[float]] = {}
    for name, seconds, done in results:
        totals.setdefault(name, [0.0, 0])
        totals[name][0] += seconds
        totals[name][1] += done
    crm = totals["CRM registration"][1] / totals["CRM registration"][0]
    bare = totals["bare lock-count-insert"][1] / totals["bare lock-count-insert"][0]
    print(f"{label} registrations ({args.people} each, {args.reg_concurrency} at a time, GET form + POST with CSRF, "
          f"event of 100 seats): CRM {crm:.1f}/s, bare {bare:.1f}/s, ratio {crm / bare:.2f}; {load()}")


def bench_database(label: str, url: str, folder: Path, args) -> None:
    env = {"CRM_DATABASE_URL": url, "CRM_INSTANCE_DIR": str(folder), "CRM_INDEX_DIR": str(folder / "index"),
           "CRM_SECRET_KEY": SECRET, "CRM_DEBUG": "0", "CRM_SECURE_COOKIES": "0", "CRM_MAIL_PORT": str(free_port()),
           "CRM_RATELIMIT_STORAGE_URI": "memory://", "CRM_BASE_URL": "http://127.0.0.1"}
    started = time.monotonic()
    ids = prepare(url, env, args.big)
    print(f"{label}: code of {APP_ROOT}; {ids['cities']:,} cities, {ids['contacts']:,} contacts (prepared in "
          f"{time.monotonic() - started:.0f} s)")
    servers = {}
    try:
        servers["crm"] = Server("wsgi:app", APP_ROOT, {**env, "PYTHONPATH": str(APP_ROOT)}, args.workers,
                                "/account/login")
        servers["bare"] = Server("bare_app:app", ROOT / "bench" / "references", {"BARE_DATABASE_URL": url},
                                 args.workers, "/jinja")
        ports = {name: server.port for name, server in servers.items()}
        cookie = sign_in(ports["crm"])
        stats = run_pages(ports, cookie, pages(ids), args)
        print_pages(label, stats, args)
        if args.json:
            print(json.dumps({k: {f: v[f] for f in ("per_second", "p50", "p95", "errors")}
                              for k, v in stats.items() if not k.startswith("_")}))
        if args.registrations:
            print_registrations(label, run_registrations(ports, url, args), args)
    finally:
        for server in servers.values():
            server.stop()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", action="store_true", help="also run on PostgreSQL (CRM_BENCH_PG_URL)")
    parser.add_argument("--no-sqlite", action="store_true", help="skip SQLite (with --pg)")
    parser.add_argument("--big", action="store_true", help="2,000 cities and 100,000 contacts (slower to prepare)")
    parser.add_argument("--registrations", action="store_true", help="also time registrations against the bare flow")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over every page (default 3)")
    parser.add_argument("--requests", type=int, default=16, help="requests per page per round (default 16)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of both servers (default 2)")
    parser.add_argument("--budget", type=float, default=45, help="seconds after which no new round starts (default 45)")
    parser.add_argument("--burst-seconds", type=float, default=8, help="longest burst on one page (default 8)")
    parser.add_argument("--people", type=int, default=200, help="registrations per flow (default 200)")
    parser.add_argument("--reg-concurrency", type=int, default=50)
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    parser.add_argument("--app-root", help="serve the CRM from this checkout instead (for A/B runs)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "bench"))
    sys.path.insert(0, str(ROOT / "tests"))
    with tempfile.TemporaryDirectory(prefix="crm-pages-bench-") as tmp:
        if not args.no_sqlite:
            folder = Path(tmp) / "sqlite"
            bench_database("SQLite", f"sqlite:///{folder}/crm.sqlite3", folder, args)
        if args.pg:
            with contextlib.ExitStack() as stack:
                try:
                    url = stack.enter_context(temporary_pg_database(PG_URL, prefix="crm_pages_bench"))
                except Exception as exc:  # noqa: BLE001 (no server: say so, keep the SQLite figures)
                    print(f"PostgreSQL not reachable ({exc}); skipped.")
                    return
                bench_database("PostgreSQL", url, Path(tmp) / "pg", args)


if __name__ == "__main__":
    main()
