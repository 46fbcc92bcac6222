"""Capacity under concurrent registrations: a real multi-worker server, real HTTP, real CSRF."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from crm.audit.models import AuditEntry
from crm.events.models import Registration
from tests.events.server import Gunicorn, public_registration

PEOPLE = 60
SEATS = 10


@pytest.fixture
def server(app, smtp):
    """gunicorn -w 4 on 127.0.0.1, on this test's database (SQLite file or PostgreSQL)."""
    from crm.db import database

    database.close()  # the workers write; keep no connection of ours open meanwhile
    gunicorn = Gunicorn(app.config["DATABASE_URL"], workers=4, mail_port=smtp.port)
    yield gunicorn
    gunicorn.stop()


@pytest.mark.slow
def test_simultaneous_registrations_never_exceed_capacity(app, make_event, server, smtp):
    from crm.db import database

    database.connect(reuse_if_open=True)
    event = make_event(capacity=SEATS, visibility="public")
    database.close()
    barrier = threading.Barrier(PEOPLE)
    with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        results = list(pool.map(lambda n: public_registration(server.url, event.id, n, barrier), range(PEOPLE)))

    assert [status for status, _, _ in results] == [200] * PEOPLE, [body[:300] for s, body, _ in results if s != 200]
    bodies = [body for _, body, _ in results]
    assert sum("You are registered." in b for b in bodies) == SEATS
    assert sum("you are on the waiting list: number" in b for b in bodies) == PEOPLE - SEATS

    database.connect(reuse_if_open=True)
    regs = list(Registration.select().where(Registration.event == event).order_by(Registration.id))
    assert len(regs) == PEOPLE
    assert len({r.contact_id for r in regs}) == PEOPLE  # no duplicates
    registered = [r for r in regs if r.status == "registered"]
    waiting = [r for r in regs if r.status == "waiting"]
    assert len(registered) == SEATS and len(waiting) == PEOPLE - SEATS
    # positions 1..N without gaps, in the order the registrations were made
    assert [r.waiting_position for r in waiting] == list(range(1, PEOPLE - SEATS + 1))
    # the ten seats went to the first ten registrations that got the lock
    assert max(r.id for r in registered) < min(r.id for r in waiting)
    assert AuditEntry.select().where(AuditEntry.action == "registration.create").count() == PEOPLE
    # each person got the mail matching their fate
    sample = waiting[-1].contact.email
    deadline = time.monotonic() + 10  # mail goes out just after each response, not inside it
    while not smtp.to(sample) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert f"number {PEOPLE - SEATS}" in smtp.last_to(sample)["Subject"]


def _join(base_url: str, event_id: int, barrier) -> tuple[int, str]:
    """Fetch the public form, wait at ``barrier``, then register the same person as everyone else."""
    import http.cookiejar
    import re
    import urllib.error
    import urllib.parse
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    url = f"{base_url}/events/{event_id}/join"
    with opener.open(url, timeout=60) as response:
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.read().decode()).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "name": "Sam Same", "email": "sam.same@example.org",
                                   "organisation": "Test City", "sector": "city_government", "city": "",
                                   "consent_listed": "y"}).encode()
    barrier.wait(timeout=60)
    try:
        with opener.open(urllib.request.Request(url, data=data, method="POST"), timeout=120) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.mark.slow
def test_simultaneous_joins_with_one_address_wait_for_the_lock(app, make_event, server):
    from crm.db import database

    database.connect(reuse_if_open=True)
    event = make_event(capacity=SEATS, visibility="public")
    database.close()
    tries = 20
    barrier = threading.Barrier(tries)
    with ThreadPoolExecutor(max_workers=tries) as pool:
        results = list(pool.map(lambda _: _join(server.url, event.id, barrier), range(tries)))

    assert [status for status, _ in results] == [200] * tries, [(s, b[:200]) for s, b in results if s != 200]
    database.connect(reuse_if_open=True)
    assert Registration.select().where(Registration.event == event).count() == 1
