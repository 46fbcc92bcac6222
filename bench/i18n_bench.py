"""Translations bench (issue 13): the main pages' throughput in French (and Arabic, right to left) beside
the same pages in English, interleaved, on one app and one demo database.

English is the interface without a catalogue (gettext returns the message itself); French and Arabic read
the compiled catalogues and format dates, numbers and vocabulary labels with Babel. Signed in as the demo
staff user, in-process (the WSGI app through Flask's test client, no network: only the app's own work is
timed), each round sends ``--requests`` requests to each page in each language, languages in a shuffled
order, and the script prints each page's requests per second per language by the clock and by the CPU time
of the median request in this process (the app runs in it: the figure other processes' load bends least),
the ratios to English (the goal: 0.90 or more, in CPU time) and the load average. ``--pg`` (or CRM_DATABASE_URL) also runs on a temporary PostgreSQL
database.

Run: .venv/bin/python bench/i18n_bench.py [--rounds N] [--requests N] [--pg]
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

LANGUAGES = ("en", "fr", "ar")
GOAL = 0.90


def prepare(url: str):
    """Migrate, seed the demo network and return the app and the pages to time."""
    from peewee import fn

    from crm import seeding
    from crm.db import database
    from crm.events.models import Event, Registration

    app = migrated_app(url, WTF_CSRF_ENABLED=False, MAIL_SUPPRESS_SEND=True, RATELIMIT_ENABLED=False)
    with app.app_context():
        database.connect(reuse_if_open=True)
        seeding.run(demo=True)
        # the event with the most registrations: the fullest event page
        event = (Event.select(Event.id).join(Registration).group_by(Event.id)
                 .order_by(fn.COUNT(Registration.id).desc()).first())
        database.close()
    return app, {"dashboard": "/", "cities": "/cities/", "contacts": "/contacts/", "event": f"/events/{event.id}"}


def clients(app) -> dict:
    """One staff client per language, each with its language chosen for the session."""
    from crm.i18n import SESSION_KEY
    from crm.seeding import DEMO_LOGINS

    email, password = next((e, p) for role, e, _name, p in DEMO_LOGINS if role == "staff")
    result = {}
    for language in LANGUAGES:
        client = app.test_client()
        response = client.post("/account/login", data={"email": email, "password": password})
        if response.status_code != 302:
            raise RuntimeError(f"staff sign-in answered {response.status_code}")
        with client.session_transaction() as session:
            session[SESSION_KEY] = language
        result[language] = client
    # errors of a page in one language are answered as 500 pages (and named below), not raised or logged
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.logger.disabled = True
    return result


def check(clients_by_language: dict, pages: dict) -> dict:
    """The pages that answer 200 in every language (warming templates, catalogues and Babel's data); the
    others are named and left out, so one broken page does not hide the figures of the rest."""
    kept = {}
    for name, path in pages.items():
        failed = []
        for language, client in clients_by_language.items():
            for _ in range(3):
                response = client.get(path)
            if response.status_code != 200:
                failed.append(f"{language}: {response.status_code}")
            elif f'<html lang="{language}"' not in response.get_data(as_text=True)[:300]:
                failed.append(f"{language}: not rendered in {language}")
        if failed:
            print(f"  left out: {name} {path} ({', '.join(failed)})")
        else:
            kept[name] = path
    return kept


def run(clients_by_language: dict, pages: dict, args) -> dict:
    """Round after round, each page in each language in a shuffled order; return the seconds of each request,
    by the clock and in CPU time of this process (the app runs in it: other processes' load does not count)."""
    timings = {(name, language): [] for name in pages for language in LANGUAGES}
    cpu_timings = {(name, language): [] for name in pages for language in LANGUAGES}
    rnd = random.Random(13)
    for _ in range(args.rounds):
        for name, path in pages.items():
            order = list(LANGUAGES)
            rnd.shuffle(order)
            for language in order:
                client = clients_by_language[language]
                for _ in range(args.requests):
                    started, cpu = time.perf_counter(), time.process_time()
                    client.get(path)
                    timings[(name, language)].append(time.perf_counter() - started)
                    cpu_timings[(name, language)].append(time.process_time() - cpu)
    return timings, cpu_timings


def report(label: str, pages: dict, timings: dict, cpu_timings: dict, args) -> bool:
    load = "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    print(f"{label}: {args.rounds} rounds × {args.requests} requests per page and language, in-process; {load}")
    print("  req/s by the clock (all requests), and by CPU time of the median request (what the app costs,")
    print("  whatever else the machine runs)")
    print(f"  {'page':<10} " + " ".join(f"{lang + ' req/s':>10}" for lang in LANGUAGES)
          + " " + " ".join(f"{lang + '/en':>7}" for lang in LANGUAGES[1:])
          + " " + " ".join(f"{lang + ' cpu/s':>10}" for lang in LANGUAGES)
          + " " + " ".join(f"{lang + '/en':>7}" for lang in LANGUAGES[1:]) + "  median ms en/fr/ar")
    ok = True
    for name in pages:
        wall = {lang: len(timings[(name, lang)]) / sum(timings[(name, lang)]) for lang in LANGUAGES}
        # the median request's CPU time: a garbage collection or a burst of another process in one request
        # does not move it
        cpu = {lang: 1 / max(statistics.median(cpu_timings[(name, lang)]), 1e-9) for lang in LANGUAGES}
        medians = "/".join(f"{statistics.median(timings[(name, lang)]) * 1000:.1f}" for lang in LANGUAGES)
        ratios = {lang: cpu[lang] / cpu["en"] for lang in LANGUAGES[1:]}
        met = all(r >= GOAL for r in ratios.values())
        ok &= met
        print(f"  {name:<10} " + " ".join(f"{wall[lang]:10.1f}" for lang in LANGUAGES) + " "
              + " ".join(f"{wall[lang] / wall['en']:7.2f}" for lang in LANGUAGES[1:]) + " "
              + " ".join(f"{cpu[lang]:10.1f}" for lang in LANGUAGES) + " "
              + " ".join(f"{ratios[lang]:7.2f}" for lang in LANGUAGES[1:]) + f"  {medians}"
              + ("" if met else "  BELOW GOAL"))
    return ok


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=8, help="rounds over every page and language (default 8)")
    parser.add_argument("--requests", type=int, default=10, help="requests per page and language per round (default 10)")
    parser.add_argument("--pg", action="store_true", help="also run on a temporary PostgreSQL database")
    args = parser.parse_args(argv)
    for url in databases(args.pg):
        app, pages = prepare(url)
        by_language = clients(app)
        pages = check(by_language, pages)
        timings, cpu_timings = run(by_language, pages, args)
        ok = report("PostgreSQL" if url.startswith("postgres") else "SQLite", pages, timings, cpu_timings, args)
        print(f"  goal (in CPU time, every language ≥ {GOAL:.2f} of English on every page): "
              f"{'met' if ok else 'NOT MET'}")


if __name__ == "__main__":
    main()
