"""What the bench scripts share: a migrated database and its app, and the databases to time on.

Not a bench itself (run alone it prints nothing). The scripts put the repository on ``sys.path`` and import it
as ``bench.common``.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from collections.abc import Iterator

LOCAL_PG = "postgresql://postgres@127.0.0.1:5432/postgres"


def migrate(url: str) -> None:
    """Bind the app's database to ``url`` and apply every migration."""
    from crm.db import database, open_database, router

    db = open_database(url)
    database.initialize(db)
    with db.connection_context():
        router(db).run()


def migrated_app(url: str, **config):
    """Migrate the database at ``url`` and return a test-mode app on it, its index in a temporary folder."""
    from crm import create_app

    migrate(url)
    tmp = tempfile.mkdtemp(prefix="crm-bench-")
    return create_app({"TESTING": True, "SECRET_KEY": "bench", "DATABASE_URL": url, "INDEX_DIR": f"{tmp}/index",
                       **config})


def pg_server(asked: bool) -> str | None:
    """The PostgreSQL server to time on: CRM_DATABASE_URL where it names one, else the local one if ``asked``."""
    url = os.environ.get("CRM_DATABASE_URL", "")
    if url.startswith("postgres"):
        return url
    return LOCAL_PG if asked else None


@contextlib.contextmanager
def temporary_pg_database(server: str, prefix: str = "crm_bench") -> Iterator[str]:
    """Create a database on ``server`` and yield its URL; then close the app's connection and drop it."""
    from tests.conftest import pg_create_database, pg_drop_database

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    url = pg_create_database(server, name)
    try:
        yield url
    finally:
        from crm.db import database

        if not database.is_closed():
            database.close()
        pg_drop_database(server, name)


def databases(pg: bool) -> Iterator[str]:
    """Yield the URL of a fresh SQLite file, then (``--pg`` or CRM_DATABASE_URL) of a temporary PostgreSQL database."""
    with tempfile.TemporaryDirectory() as tmp:
        print("== SQLite ==")
        yield f"sqlite:///{tmp}/bench.sqlite3"
    server = pg_server(pg)
    if server:
        with temporary_pg_database(server) as url:
            print("== PostgreSQL ==")
            yield url
