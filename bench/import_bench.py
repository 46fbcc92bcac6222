"""Time a large contacts CSV through the web import: ``python bench/import_bench.py [--rows 150000] [--pg]``.

Builds a file of ``--rows`` contacts (about 8 MB at 150,000 rows, under the 10 MB upload limit), uploads it
to /contacts/import with Flask's test client against a fresh database (a temporary SQLite file; with ``--pg``
or ``CRM_DATABASE_URL=postgresql://…`` a temporary database on that server), and prints how long the upload
request took (the check runs in the background), how long the check took, and how long the import took.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


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
    from crm import create_app
    from crm.accounts.services import create_user
    from crm.db import database, open_database, router
    from crm.membership.models import City

    db = open_database(url)
    database.initialize(db)
    with db.connection_context():
        router(db).run()
    tmp = tempfile.mkdtemp(prefix="crm-bench-")
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "DATABASE_URL": url, "INDEX_DIR": f"{tmp}/index",
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
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
    url = os.environ.get("CRM_DATABASE_URL", "")
    if args.pg or url.startswith("postgres"):
        from tests.conftest import pg_create_database, pg_drop_database

        base = url if url.startswith("postgres") else "postgresql://postgres@127.0.0.1:5432/postgres"
        name = f"crm_bench_{uuid.uuid4().hex[:8]}"
        try:
            run(pg_create_database(base, name), args.rows)
        finally:
            pg_drop_database(base, name)
    else:
        run(f"sqlite:///{tempfile.mkdtemp(prefix='crm-bench-')}/bench.sqlite3", args.rows)


if __name__ == "__main__":
    main()
