"""Journeys bench: the city timeline, the contact journey, the dormant list, and the contacts and cities lists with
"all N matching" selected and a bulk action previewed, on a network of 2,000 cities and 100,000 contacts.

Builds 2,000 member cities and 100,000 contacts (50 a city), 300 events over five years with 40,000
invitations and 40,000 registrations (most checked in), 3,000 lessons, 500 workspaces with advice requests and
60,000 outbox mails, plus one busy city whose people have 2,500 registrations, 2,500 invitations and 1,500
mails. Signed in as staff (in-process test client, so no server or network in the figures), it times each page
(median and p95 of ``--runs`` requests) and counts its SQL statements, on SQLite and (``--pg``) PostgreSQL. A bulk
preview is the POST of the list's bulk form with "all N matching" ticked, answered by the confirmation page that
names the count (nothing is changed). The target of issue 11 is 150 ms for each; the 1-minute load average is
printed beside each figure, as other work on the machine moves them.

Run: .venv/bin/python bench/journeys_bench.py [--pg] [--runs N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import databases, migrated_app  # noqa: E402

CITIES, PER_CITY, EVENTS = 2_000, 50, 300
REGIONS = ["western_europe", "north_america", "oceania", "south_asia", "east_southern_africa", "western_balkans"]
PASSWORD = "bench-password-0123456789"


def build(rng: random.Random) -> dict:
    """Fill the database; return the ids of the busy city, an ordinary one and a busy contact."""
    from crm.contacts.models import Contact
    from crm.db import database, utcnow
    from crm.events.models import Event, Invitation, Registration
    from crm.lessons.models import Lesson
    from crm.mail import OutboxMail
    from crm.membership.models import City
    from crm.workspace.models import AdviceRequest, Workspace

    now = utcnow()

    def ago(days):
        return now - dt.timedelta(days=days, minutes=rng.randint(0, 1440))

    def chunks(rows, size=2_000):
        for i in range(0, len(rows), size):
            yield rows[i:i + size]

    with database.atomic():
        for chunk in chunks([{"name": f"City {i}", "name_key": f"city {i}", "country": "FR", "region": rng.choice(REGIONS),
                              "status": "active", "joined_on": (now - dt.timedelta(days=rng.randint(60, 3000))).date(),
                              "created_at": now, "updated_at": now, "languages": [], "expertise": []}
                             for i in range(CITIES)]):
            City.insert_many(chunk).execute()
        city_ids = [c.id for c in City.select(City.id).order_by(City.id)]
        contacts = [{"name": f"Person {c}-{n}", "name_key": f"person {c} {n}", "email": f"p{c}-{n}@bench.example",
                     "city": c, "city_role": "focal_point" if n == 0 else "", "sector": "other", "languages": [],
                     "tags": [], "created_at": now, "updated_at": now}
                    for c in city_ids for n in range(PER_CITY)]
        for chunk in chunks(contacts):
            Contact.insert_many(chunk).execute()
        contact_ids = [c.id for c in Contact.select(Contact.id).order_by(Contact.id)]
        events = []
        for i in range(EVENTS):
            start = now - dt.timedelta(days=rng.randint(1, 1800))
            events.append({"title": f"Event {i}", "starts_at": start, "ends_at": start + dt.timedelta(hours=6),
                           "status": "completed", "visibility": "members", "created_at": now, "updated_at": now,
                           "audience_sectors": []})
        Event.insert_many(events).execute()
        event_ids = [e.id for e in Event.select(Event.id)]
        busy = city_ids[0]
        busy_people = contact_ids[:PER_CITY]
        pairs = {(rng.choice(contact_ids), rng.choice(event_ids)) for _ in range(40_000)}
        pairs |= {(p, e) for p in busy_people for e in rng.sample(event_ids, 50)}
        regs = [{"event": e, "contact": p, "status": "registered", "created_at": ago(400),
                 "updated_at": now, "checked_in_at": ago(300) if rng.random() < .7 else None} for p, e in pairs]
        for chunk in chunks(regs):
            Registration.insert_many(chunk).execute()
        invs = [{"event": e, "contact": p, "status": "accepted", "sent_at": ago(500), "answered_at": ago(450)}
                for p, e in pairs]
        for chunk in chunks(invs):
            Invitation.insert_many(chunk).execute()
        Lesson.insert_many([{"city": rng.choice(city_ids), "title": f"Lesson {i}", "phase": "long_term",
                             "status": "published", "created_at": ago(900), "updated_at": now, "themes": [],
                             "published_at": ago(800)} for i in range(3_000)]).execute()
        Workspace.insert_many([{"city": rng.choice(city_ids), "title": f"Workspace {i}", "description": "x",
                                "created_at": ago(200), "updated_at": now, "facets": {}, "need_themes": []}
                               for i in range(500)]).execute()
        workspaces = [w.id for w in Workspace.select(Workspace.id)]
        AdviceRequest.insert_many([{"workspace": w, "peer_city": rng.choice(city_ids), "message": "help",
                                    "created_at": ago(150)} for w in workspaces]).execute()
        mails = [{"recipient": f"p{rng.choice(city_ids)}-{rng.randrange(PER_CITY)}@bench.example", "subject": "News",
                  "text_body": "x", "status": "sent", "created_at": ago(700), "next_attempt_at": now}
                 for _ in range(60_000)]
        mails += [{"recipient": f"p{busy}-{rng.randrange(PER_CITY)}@bench.example", "subject": "Busy news",
                   "text_body": "x", "status": "sent", "created_at": ago(700), "next_attempt_at": now}
                  for _ in range(1_500)]
        for chunk in chunks(mails):
            OutboxMail.insert_many(chunk).execute()
    return {"busy": busy, "ordinary": city_ids[CITIES // 2], "contact": busy_people[1]}


def time_page(client, url: str, runs: int, explain: bool = False, data: dict | None = None,
              expect: str = "") -> tuple[float, float, int, float]:
    """Median and p95 in ms of ``runs`` GETs of ``url`` (POSTs of ``data`` if given), its SQL statements, and the
    median CPU time of this process (with SQLite, in-process, about what a quiet machine's wall time would be)."""
    from crm.db import database

    def request():
        response = client.post(url, data=data) if data is not None else client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert expect in response.get_data(as_text=True), (url, expect)
        return response

    request()
    count = 0
    real = database.obj.execute_sql

    def counting(sql, *args, **kwargs):
        nonlocal count
        count += "index_change" not in sql
        start = time.perf_counter()
        try:
            return real(sql, *args, **kwargs)
        finally:
            if explain:
                print(f"    {(time.perf_counter() - start) * 1000:7.1f} ms  {sql[:150]}")

    database.obj.execute_sql = counting
    try:
        request()
    finally:
        del database.obj.execute_sql
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        request()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * .95) - 1)], count, statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", action="store_true", help="also on a temporary PostgreSQL database")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--explain", action="store_true", help="print each page's statements with their time")
    args = parser.parse_args()
    for url in databases(args.pg):
        app = migrated_app(url, WTF_CSRF_ENABLED=False, RATELIMIT_STORAGE_URI="memory://", MAIL_SUPPRESS_SEND=True)
        with app.app_context():
            from crm.accounts.services import create_user
            from crm.db import database

            database.connect(reuse_if_open=True)
            started = time.perf_counter()
            ids = build(random.Random(11))
            if url.startswith("postgres"):
                database.execute_sql("ANALYZE")  # the planner's statistics, as autovacuum keeps them in production
            print(f"built {CITIES:,} cities, {CITIES * PER_CITY:,} contacts in {time.perf_counter() - started:.0f} s")
            staff = create_user("bench-staff@example.org", "Bench Staff", "staff", PASSWORD)
            client = app.test_client()
            assert client.post("/account/login", data={"email": staff.email, "password": PASSWORD}).status_code == 302
            pages = [("city journey, busy city", f"/cities/{ids['busy']}/journey"),
                     ("city journey, ordinary city", f"/cities/{ids['ordinary']}/journey"),
                     ("contact journey, busy person", f"/contacts/{ids['contact']}/journey"),
                     ("dormant members, 12 months", "/journeys/dormant"),
                     ("dormant members, 3 months", "/journeys/dormant?months=3"),
                     ("contacts list, 100,000 matching", "/contacts/?sort=name"),
                     ("contacts: all matching, tag preview", "/contacts/bulk?sort=name",
                      {"action": "add_tag", "tag": "bench", "all_matching": "y"}, "Confirm: apply to 100000"),
                     ("cities list, 2,000 matching", "/cities/?status=active"),
                     ("cities: all matching, status preview", "/cities/bulk?status=active",
                      {"action": "status", "status": "suspended", "reason": "bench", "all_matching": "y"},
                      "Confirm: apply to 2000")]
            print(f"{'page':38} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'cpu ms':>7} {'load':>6}")
            # Invite a city's 50 people to an upcoming event: the event's invitation page with them preselected.
            from crm.contacts.models import Contact
            from crm.db import utcnow
            from crm.events.models import Event

            start = utcnow() + dt.timedelta(days=30)
            event = Event.create(title="Upcoming", starts_at=start, ends_at=start + dt.timedelta(hours=6),
                                 status="published", visibility="members")
            chosen = ",".join(str(c.id) for c in Contact.select(Contact.id).where(Contact.city == ids["ordinary"]))
            pages.append(("invite page, a city's 50 preselected", f"/events/{event.id}/invite?selection={chosen}",
                          None, "Showing the 50 contacts chosen"))
            for label, page, *post in pages:
                data, expect = post if post else (None, "")
                p50, p95, queries, cpu = time_page(client, page, args.runs, args.explain, data=data, expect=expect)
                print(f"{label:38} {p50:8.1f} {p95:8.1f} {queries:8d} {cpu:7.1f} {os.getloadavg()[0]:6.2f}")
            database.close()


if __name__ == "__main__":
    main()
