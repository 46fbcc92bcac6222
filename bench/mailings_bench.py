"""Time a 10,000-recipient mailing: ``python bench/mailings_bench.py [--pg] [--recipients 10000]``.

Fills a fresh database (a temporary SQLite file; with ``--pg`` also a temporary PostgreSQL database) with
contacts who accept network news, queues one mailing to the network-news list through the same service as the
"Send now" button (one delivery row and one outbox mail per recipient), then delivers the outbox to a local
aiosmtpd server on 127.0.0.1 and prints messages per second for both steps.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import databases, migrated_app  # noqa: E402
from tests.events.server import free_port  # noqa: E402


class Counter:
    """An aiosmtpd handler that only counts what it receives."""

    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.count += 1
        return "250 OK"


def run(url: str, recipients: int) -> None:
    from aiosmtpd.controller import Controller

    from crm.contacts.models import Contact
    from crm.db import database
    from crm.mailings import services
    from crm.mailings.models import Delivery, MailingList

    handler = Counter()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    app = migrated_app(url, MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_SUPPRESS_SEND=False,
                       MAIL_RATE=1,  # queue only: delivery is timed on its own below
                       BASE_URL="https://crm.example.org")
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
    for url in databases(args.pg):
        run(url, args.recipients)


if __name__ == "__main__":
    main()
