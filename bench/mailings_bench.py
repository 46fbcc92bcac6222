"""Time a 10,000-recipient mailing: ``python bench/mailings_bench.py [--pg] [--recipients 10000]``.

Fills a fresh database (a temporary SQLite file; with ``--pg`` also a temporary PostgreSQL database) with
contacts who accept network news, queues one mailing to the network-news list through the same service as the
"Send now" button (one delivery row and one outbox mail per recipient), then delivers the outbox to a local
aiosmtpd server on 127.0.0.1 and prints messages per second for both steps.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


class Counter:
    """An aiosmtpd handler that only counts what it receives."""

    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.count += 1
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(url: str, recipients: int) -> None:
    from aiosmtpd.controller import Controller

    from crm import create_app
    from crm.contacts.models import Contact
    from crm.db import database, open_database, router
    from crm.mailings import services
    from crm.mailings.models import Delivery, MailingList

    db = open_database(url)
    database.initialize(db)
    with db.connection_context():
        router(db).run()
    handler = Counter()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    tmp = tempfile.mkdtemp(prefix="crm-bench-")
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "DATABASE_URL": url, "INDEX_DIR": f"{tmp}/index",
                      "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_SUPPRESS_SEND": False,
                      "MAIL_RATE": 1,  # queue only: delivery is timed on its own below
                      "BASE_URL": "https://crm.example.org"})
    try:
        with app.app_context():
            database.connect(reuse_if_open=True)
            services.ensure_default_lists()
            with database.atomic():
                rows = [{"name": f"Person {i}", "name_key": f"person {i}", "email": f"p{i}@bench.example.org",
                         "languages": [], "tags": []} for i in range(recipients)]
                for start in range(0, len(rows), 1000):
                    Contact.insert_many(rows[start:start + 1000]).execute()
            news = MailingList.get(MailingList.slug == "network-news")
            mailing = services.save_mailing(None, mailing_list=news, subject="News for {{ first_name }}",
                                            body="Hello {{ first_name }},\n\n**Workshop** on 3 May in Lyon.")
            start = time.perf_counter()
            queued = services.queue_mailing(mailing)
            t_queue = time.perf_counter() - start
            assert queued == recipients == Delivery.select().count()
            print(f"queue {queued:,} recipients: {t_queue:.1f} s ({queued / t_queue:,.0f} messages/s)")
            start = time.perf_counter()
            sent, failed = services.send_queued_mailings(rate=0)
            t_send = time.perf_counter() - start
            assert (sent, failed) == (recipients, 0) and handler.count == recipients, (sent, failed, handler.count)
            print(f"deliver {sent:,} to aiosmtpd: {t_send:.1f} s ({sent / t_send:,.0f} messages/s)")
            start = time.perf_counter()
            assert services.queue_mailing(mailing) == 0
            print(f"restart of a finished send (nothing to queue): {time.perf_counter() - start:.2f} s")
            database.close()
    finally:
        controller.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", action="store_true", help="Also run on PostgreSQL (CRM_DATABASE_URL or localhost).")
    parser.add_argument("--recipients", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print("== SQLite ==")
        run(f"sqlite:///{tmp}/bench.sqlite3", args.recipients)
    pg = os.environ.get("CRM_DATABASE_URL", "")
    if args.pg or pg.startswith("postgres"):
        base = pg if pg.startswith("postgres") else "postgresql://postgres@127.0.0.1:5432/postgres"
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
        from conftest import pg_create_database, pg_drop_database

        name = f"crm_bench_{uuid.uuid4().hex[:6]}"
        url = pg_create_database(base, name)
        print("== PostgreSQL ==")
        try:
            run(url, args.recipients)
        finally:
            from crm.db import database

            if not database.is_closed():
                database.close()
            pg_drop_database(base, name)


if __name__ == "__main__":
    main()
