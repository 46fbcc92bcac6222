"""Events bench: registrations per second under concurrent load (gunicorn -w 4, real HTTP with CSRF)
on SQLite and PostgreSQL, and the time of the participant-list page for an event with 2,000 registrations.

Run: .venv/bin/python bench/events_bench.py   (PostgreSQL: CRM_BENCH_PG_URL, default
postgresql://postgres@127.0.0.1:5432/postgres; skipped if the server does not answer).
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402

from tests.events.server import Gunicorn, free_port, public_registration  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_PEOPLE", 300))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", 50))
SEATS = 100
LIST_SIZE = 2000
PG_URL = os.environ.get("CRM_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


class _Sink:
    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        return "250 OK"


def _app(url: str):
    from crm import create_app

    return create_app({"TESTING": True, "SECRET_KEY": "bench-secret", "DATABASE_URL": url,
                       "WTF_CSRF_ENABLED": False, "MAIL_SUPPRESS_SEND": True, "RATELIMIT_ENABLED": False})


def _migrate(url: str) -> None:
    from crm.db import database, open_database, router

    db = open_database(url)
    database.initialize(db)
    with db.connection_context():
        router(db).run()


def _event(capacity: int | None, visibility: str = "public"):
    from crm.db import utcnow
    from crm.events.models import Event

    start = utcnow() + dt.timedelta(days=20)
    return Event.create(title=f"Bench event {uuid.uuid4().hex[:6]}", kind="workshop", timezone="Europe/Oslo",
                        starts_at=start, ends_at=start + dt.timedelta(hours=8), capacity=capacity,
                        status="published", visibility=visibility)


def bench_registrations(url: str, label: str, mail_port: int) -> dict:
    from crm.db import database
    from crm.events.models import Registration

    app = _app(url)
    with app.app_context():
        database.connect(reuse_if_open=True)
        event = _event(SEATS)
        database.close()
    server = Gunicorn(url, workers=4, mail_port=mail_port)
    try:
        barrier = threading.Barrier(CONCURRENCY)
        counter = iter(range(PEOPLE))
        lock = threading.Lock()

        def worker(_):
            results = []
            first = True
            while True:
                with lock:
                    n = next(counter, None)
                if n is None:
                    return results
                results.append(public_registration(server.url, event.id, n, barrier if first else None))
                first = False

        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
            batches = list(pool.map(worker, range(CONCURRENCY)))
        elapsed = time.monotonic() - started
    finally:
        server.stop()
    results = [r for batch in batches for r in batch]
    latencies = sorted(r[2] for r in results)
    errors = sum(1 for r in results if r[0] != 200)
    with app.app_context():
        database.connect(reuse_if_open=True)
        regs = list(Registration.select().where(Registration.event == event))
        registered = sum(r.status == "registered" for r in regs)
        waiting = sorted(r.waiting_position for r in regs if r.status == "waiting")
        database.close()
    ok = registered == SEATS and waiting == list(range(1, PEOPLE - SEATS + 1)) and errors == 0
    return {"db": label, "registrations": len(results), "seconds": elapsed,
            "per_second": len(results) / elapsed,  # includes fetching each form (GET) before its POST
            "post_p50_ms": statistics.median(latencies) * 1000,
            "post_p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000, "errors": errors,
            "consistent": ok}


def bench_participant_list(url: str, label: str) -> dict:
    from crm.accounts.services import create_user
    from crm.contacts.models import Contact
    from crm.db import database, utcnow
    from crm.events.models import Registration
    from crm.membership.models import City

    app = _app(url)
    with app.app_context():
        database.connect(reuse_if_open=True)
        event = _event(None)
        tag = uuid.uuid4().hex[:6]
        with database.atomic():
            cities = [City.create(name=f"City {tag} {i}", name_key=f"city {tag} {i}", country="NO") for i in range(40)]
            rows = [{"name": f"Participant {i:04d}", "email": f"p{i}-{tag}@example.org", "organisation": f"Org {i % 97}",
                     "sector": "city_government", "city": cities[i % 40].id, "languages": [], "tags": []}
                    for i in range(LIST_SIZE)]
            for start in range(0, LIST_SIZE, 500):
                Contact.insert_many(rows[start:start + 500]).execute()
            contacts = list(Contact.select(Contact.id).where(Contact.email.endswith(f"-{tag}@example.org")))
            now = utcnow()
            regs = [{"event": event.id, "contact": c.id, "status": "registered", "registered_at": now,
                     "created_at": now, "updated_at": now, "consent_listed": True} for c in contacts]
            for start in range(0, len(regs), 500):
                Registration.insert_many(regs[start:start + 500]).execute()
        email = f"bench-{tag}@example.org"
        create_user(email, "Bench Staff", "staff", "bench password 123")
        database.close()
    client = app.test_client()
    client.post("/account/login", data={"email": email, "password": "bench password 123"})
    timings = []
    size = 0
    for _ in range(5):
        started = time.perf_counter()
        response = client.get(f"/events/{event.id}/participants")
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200
        size = len(response.data)
    checkin = []
    for _ in range(5):
        started = time.perf_counter()
        client.get(f"/events/{event.id}/check-in?q=Participant 19")
        checkin.append(time.perf_counter() - started)
    return {"db": label, "rows": LIST_SIZE, "median_ms": statistics.median(timings) * 1000,
            "max_ms": max(timings) * 1000, "html_kb": size / 1024,
            "checkin_search_ms": statistics.median(checkin) * 1000}


def _pg_database() -> tuple[str, str] | None:
    from crm.db import open_database

    try:
        admin = open_database(PG_URL)
        admin.connect()
    except Exception as exc:  # noqa: BLE001 (any failure means: no PostgreSQL here)
        print(f"PostgreSQL not reachable ({exc}); skipping it.")
        return None
    admin.connection().autocommit = True
    name = f"crm_bench_{os.getpid()}"
    admin.execute_sql(f'CREATE DATABASE "{name}"')
    admin.close()
    return PG_URL.rsplit("/", 1)[0] + "/" + name, name


def _pg_drop(name: str) -> None:
    from crm.db import open_database

    admin = open_database(PG_URL)
    admin.connect()
    admin.connection().autocommit = True
    admin.execute_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                      "AND pid <> pg_backend_pid()", (name,))
    admin.execute_sql(f'DROP DATABASE IF EXISTS "{name}"')
    admin.close()


def main() -> None:
    smtp = Controller(_Sink(), hostname="127.0.0.1", port=free_port())
    smtp.start()
    databases = []
    tmp = tempfile.TemporaryDirectory()
    sqlite_url = f"sqlite:///{tmp.name}/bench.sqlite3"
    databases.append((sqlite_url, "SQLite", None))
    pg = _pg_database()
    if pg:
        databases.append((pg[0], "PostgreSQL", pg[1]))
    try:
        print(f"Registrations: {PEOPLE} people, {CONCURRENCY} at a time, event of {SEATS} seats, gunicorn -w 4 "
              "(each registration = GET form + POST with CSRF; mail to a local SMTP sink)")
        for url, label, _ in databases:
            _migrate(url)
            r = bench_registrations(url, label, smtp.port)
            print(f"  {label:<10} {r['per_second']:6.1f} registrations/s  ({r['registrations']} in {r['seconds']:.2f} s; "
                  f"POST p50 {r['post_p50_ms']:.0f} ms, p95 {r['post_p95_ms']:.0f} ms; errors {r['errors']}; "
                  f"capacity and waiting list consistent: {r['consistent']})")
        print(f"Participant-list page, event with {LIST_SIZE} registrations (in-process, 5 requests)")
        for url, label, _ in databases:
            r = bench_participant_list(url, label)
            print(f"  {label:<10} median {r['median_ms']:.0f} ms, max {r['max_ms']:.0f} ms, {r['html_kb']:.0f} KB of HTML; "
                  f"check-in search {r['checkin_search_ms']:.0f} ms")
    finally:
        smtp.stop()
        from crm.db import database

        if not database.is_closed():
            database.close()
        for _, _, name in databases:
            if name:
                _pg_drop(name)
        tmp.cleanup()


if __name__ == "__main__":
    import argparse

    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    main()
