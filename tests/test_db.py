"""The data layer: SQLite pragmas, a connection per request, the URL switch."""

import pytest

from crm.db import database, open_database


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with db.connection_context():
        assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_unknown_database_url_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="sqlite:///path or postgresql://"):
        open_database("mysql://localhost/x")


def test_a_connection_is_opened_per_request_and_closed_after(app, client):
    database.close()
    seen = {}

    @app.get("/_probe")
    def probe():
        seen["open"] = not database.is_closed()
        return "ok"

    probe.is_public = True
    assert client.get("/_probe").data == b"ok"
    assert seen["open"] is True
    assert database.is_closed()
