"""Fault test: a gunicorn worker killed with SIGKILL during a burst of registrations loses no mail and doubles none.

Real gunicorn (-w 2) on 127.0.0.1, real HTTP with CSRF, a real SQLite file (or PostgreSQL with
CRM_TEST_DATABASE_URL), a real aiosmtpd server. After the burst, `crm search check` must be clean and
`crm mail send-queued` must leave every committed mail delivered exactly once.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from crm import mail
from crm.db import database
from crm.events.models import Registration
from tests.events.server import Gunicorn, free_port, public_registration

PEOPLE = 32
KILL_AFTER = 8


def _workers(master_pid: int) -> list[int]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    return [int(pid) for pid in children]


@pytest.mark.slow
def test_killing_a_worker_mid_burst_loses_and_doubles_no_mail(app, make_event, smtp, monkeypatch):
    database.connect(reuse_if_open=True)
    event = make_event(capacity=PEOPLE, visibility="public")
    database.close()
    monkeypatch.setenv("CRM_INDEX_DIR", app.config["INDEX_DIR"])  # the workers and the check share the index
    # The workers' SMTP port answers nothing, so their after-response attempts fail and every mail
    # stays queued: a worker killed between an SMTP server's "accepted" and marking the row sent would
    # send that one mail twice (the one window no SMTP client can close, documented in README).
    # The sender below then delivers the whole queue to the real server.
    server = Gunicorn(app.config["DATABASE_URL"], workers=2, mail_port=free_port())
    done, killed = [], []
    lock = threading.Lock()

    def register(n):
        try:
            result = public_registration(server.url, event.id, n)
        except OSError as exc:  # the request the killed worker was serving
            result = (None, repr(exc), 0.0)
        with lock:
            done.append(result)
            if len(done) == KILL_AFTER and not killed:
                victim = _workers(server.process.pid)[0]
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)
        return result

    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(register, range(PEOPLE)))
    finally:
        server.stop()  # graceful: the surviving worker finishes its after-response delivery

    assert killed, "no worker was killed"
    acknowledged = [body for status, body, _ in results if status == 200]
    assert len(acknowledged) >= PEOPLE - 8, [b[:200] for s, b, _ in results if s != 200]

    runner = app.test_cli_runner()
    check = runner.invoke(args=["search", "check"])
    assert check.exit_code == 0, check.output
    # Nothing else sends now, so mails a killed worker had claimed can be taken back at once.
    assert not smtp.messages  # the workers could not deliver
    sent = runner.invoke(args=["mail", "send-queued", "--force", "--reclaim-after", "0"])
    assert sent.exit_code == 0, sent.output

    database.connect(reuse_if_open=True)
    rows = list(mail.OutboxMail.select())
    registered = {r.contact.email for r in Registration.select().where(Registration.event == event)}
    assert len(registered) >= len(acknowledged)  # every acknowledged registration was kept
    assert {r.status for r in rows} == {mail.SENT}
    time.sleep(0.2)
    delivered = Counter(address for m in smtp.messages for address in m.envelope_to)
    assert delivered == Counter(r.recipient for r in rows)  # each stored mail arrived exactly once
    assert set(delivered) == registered and set(delivered.values()) == {1}
