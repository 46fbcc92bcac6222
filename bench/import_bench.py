"""Time a large contacts CSV through the web import: ``python bench/import_bench.py [--rows 150000] [--pg]``.

Builds a file of ``--rows`` contacts (about 8 MB at 150,000 rows, under the 10 MB upload limit), uploads it
to /contacts/import with Flask's test client against a fresh database (a temporary SQLite file; with ``--pg``
or ``CRM_DATABASE_URL=postgresql://…`` a temporary database on that server), and prints how long the upload
request took (the check runs in the background), how long the check took, and how long the import took.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import migrated_app, pg_server, temporary_pg_database  # noqa: E402


def contacts_csv(rows: int) -> str:
    lines = ["name,email,sector,city,languages"]
    lines += [f"Person {i},person{i}@bench.example.org,Media,Oslo,no;en" for i in range(rows)]
    return "\n".join(lines) + "\n"


def wait(client, url: str) -> str:
    while True:
        html = client.get(url).get_data(as_text=True)
        if 'http-equiv="refresh"' not in html:
            return " ".join(html.split())
        time.sleep(0.5)


def run(url: str, rows: int) -> None:
    from crm.accounts.services import create_user
    from crm.db import database
    from crm.membership.models import City

    app = migrated_app(url, WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False)
    with app.app_context():
        database.connect(reuse_if_open=True)
        City.create(name="Oslo", name_key="oslo", country="NO", status="active")
        create_user("bench@example.org", "Bench", "staff", password="correct horse battery")
        database.close()
    text = contacts_csv(rows)
    print(f"{rows:,} rows, {len(text.encode()) / 1e6:.1f} MB")
    client = app.test_client()
    client.post("/account/login", data={"email": "bench@example.org", "password": "correct horse battery"})
    start = time.perf_counter()
    response = client.post("/contacts/import", data={"upload": (io.BytesIO(text.encode()), "big.csv"),
                                                     "mode": "skip"}, content_type="multipart/form-data")
    print(f"upload request: {time.perf_counter() - start:.2f} s (status {response.status_code})")
    if response.status_code != 302:
        raise SystemExit(response.get_data(as_text=True)[:300])
    job_url = response.headers["Location"]
    html = wait(client, job_url)
    print(f"checked in the background after {time.perf_counter() - start:.1f} s:",
          html.split("row(s):")[0][-12:].strip(), "row(s)")
    start = time.perf_counter()
    client.post(job_url, data={"mode": "skip", "confirm": "1"})
    html = wait(client, job_url)
    found = html[html.index("Imported:"):].split("<")[0] if "Imported:" in html else "NOT IMPORTED"
    print(f"imported in the background after {time.perf_counter() - start:.1f} s: {found}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=150_000)
    parser.add_argument("--pg", action="store_true", help="use a temporary PostgreSQL database")
    args = parser.parse_args()
    server = pg_server(args.pg)
    if server:
        with temporary_pg_database(server) as url:
            run(url, args.rows)
    else:
        run(f"sqlite:///{tempfile.mkdtemp(prefix='crm-bench-')}/bench.sqlite3", args.rows)


if __name__ == "__main__":
    main()
