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
