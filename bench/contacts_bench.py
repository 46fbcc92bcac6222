"""Time the contacts import and list pages: ``python bench/contacts_bench.py [--pg] [--contacts 100000]``.

Imports 10,000 contacts through the same service as ``crm import contacts`` into a fresh database (a temporary
SQLite file; with ``--pg`` or ``CRM_DATABASE_URL=postgresql://…`` a temporary database on that server), then
fills the table to 100,000 contacts and times the list page (first page, a filtered page, a search, a deep page)
and the bulk bar with "all N matching" ticked (a tag previewed on the confirmation page), p50 and p95 of ``--runs``
requests with the 1-minute load average beside. bench/journeys_bench.py times the same lists on 2,000 cities.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import databases, migrated_app  # noqa: E402

FIRST = "Anna Omar Kari Lena Björn Claire Ahmed Sofia Marco Yuki Amina Pedro Ingrid Jonas Fatima Elif Noor Ivan".split()
LAST = "Berg Said Nordvik Ek Roux Haddad Rossi Tanaka Diallo García Solberg Weber Yılmaz Khan Petrov Novak".split()
SECTORS = ["city_government", "national_government", "law_enforcement", "academia", "practitioner", "civil_society",
           "media", "international_organisation", "other"]


def contacts_csv(n: int, cities: list[tuple[str, str]], seed: int = 1) -> str:
    rnd = random.Random(seed)
    lines = ["name,email,position,organisation,sector,city,country,phone,languages,tags,notes"]
    for i in range(n):
        name = f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"
        city, country = rnd.choice(cities)
        lines.append(f"{name},person{i}@bench.example.org,Adviser,City of {city},{rnd.choice(SECTORS)},{city},"
                     f"{country},+1 555 {i:04d},en;fr,bench;t{i % 7},")
    return "\n".join(lines) + "\n"


def timed(func, repeat=1):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def percentiles(func, runs: int) -> tuple[float, float]:
    """Median and p95 in ms of ``runs`` calls of ``func``."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * .95) - 1)]


def run(url: str, total: int, to_import: int, runs: int = 10) -> None:
    from crm.contacts.imports import check_contacts, import_contacts
    from crm.contacts.models import Contact
    from crm.core.names import fold_name
    from crm.db import database
    from crm.membership.models import City

    app = migrated_app(url, MAIL_SUPPRESS_SEND=True, WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False)
    with app.app_context():
        database.connect(reuse_if_open=True)
        cities = [(f"Benchcity {i}", code) for i, code in enumerate(["FR", "DE", "NO", "KE", "US", "IN"] * 8)]
        City.insert_many([{"name": n, "name_key": fold_name(n), "country": c, "region": "", "languages": [],
                           "expertise": []} for n, c in cities]).execute()
        text = contacts_csv(to_import, cities)
        plan_holder = {}
        t_check = timed(lambda: plan_holder.update(plan=check_contacts(text)))
        t_write = timed(lambda: import_contacts(plan_holder["plan"], mode="skip"))
        assert Contact.select().count() == to_import
        print(f"import {to_import:,} contacts: {t_check + t_write:.2f} s (check {t_check:.2f} s, write {t_write:.2f} s)")

        rnd = random.Random(2)
        city_ids = [c.id for c in City.select(City.id)]
        start = time.perf_counter()
        with database.atomic():
            rows = []
            for i in range(to_import, total):
                name = f"{rnd.choice(FIRST)} {rnd.choice(LAST)} {i}"
                rows.append({"name": name, "name_key": fold_name(name), "email": f"p{i}@bulk.example.org",
                             "organisation": f"Org {i % 500}", "sector": rnd.choice(SECTORS),
                             "city": rnd.choice(city_ids) if i % 3 else None, "languages": ["en"],
                             "tags": ["bulk"] if i % 10 == 0 else []})
                if len(rows) == 1000:
                    Contact.insert_many(rows).execute()
                    rows = []
            if rows:
                Contact.insert_many(rows).execute()
        if url.startswith("postgres"):
            database.execute_sql("ANALYZE")
        print(f"(filled to {Contact.select().count():,} contacts in {time.perf_counter() - start:.1f} s)")

        from crm.accounts.services import create_user

        create_user("bench@example.org", "Bench", "staff", "bench password 1")
        client = app.test_client()
        client.post("/account/login", data={"email": "bench@example.org", "password": "bench password 1"})
        fr = City.get(City.country == "FR")
        pages = {
            "first page": "/contacts/",
            "filtered (sector + country)": "/contacts/?sector=academia&country=FR",
            "filtered (city + tag, sorted by organisation)": f"/contacts/?city={fr.id}&tag=bench&sort=organisation",
            "search 'berg'": "/contacts/?q=berg",
            "search by email": "/contacts/?q=p99999@bulk",
            "deep page (1,500 of 2,000)": "/contacts/?page=1500",
        }
        for label, path in pages.items():
            assert client.get(path).status_code == 200, path
            p50, p95 = percentiles(lambda path=path: client.get(path), runs)
            print(f"list {label:<48} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  (load {os.getloadavg()[0]:.2f})")
        everyone = Contact.select().where(Contact.erased_at.is_null()).count()
        bulk = {"all matching, tag previewed": ("/contacts/bulk", everyone),
                "all matching in a sector, tag previewed": ("/contacts/bulk?sector=academia",
                                                            Contact.select().where(Contact.sector == "academia").count())}
        for label, (path, count) in bulk.items():
            def preview(path=path, count=count):
                response = client.post(path, data={"action": "add_tag", "tag": "bench", "all_matching": "y"})
                assert f"Confirm: apply to {count}" in response.get_data(as_text=True), path

            preview()
            p50, p95 = percentiles(preview, runs)
            print(f"bulk {label:<48} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  (load {os.getloadavg()[0]:.2f})")
        database.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", action="store_true", help="Also run on PostgreSQL (CRM_DATABASE_URL or localhost).")
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    for url in databases(args.pg):
        run(url, args.contacts, args.import_rows, args.runs)


if __name__ == "__main__":
    main()
