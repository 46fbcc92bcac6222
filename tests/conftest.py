"""Fixtures: a fresh app, database and index folder per test, a real SMTP server, a real browser.

The suite runs on SQLite by default. With ``CRM_TEST_DATABASE_URL=postgresql://…`` it runs on
PostgreSQL: the session creates its own database on that server, migrates it once, empties every
table before each test, and drops the database at the end.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import threading
import uuid
from email import message_from_bytes, policy
from pathlib import Path

import peewee
import pytest
from aiosmtpd.controller import Controller
from flask import g
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from crm import create_app
from crm.db import all_models, database, open_database, router
from tests.helpers import PASSWORD, login

# `make run` turns debug mode on for the development server; the suite checks production behaviour
# too (keys, secure cookies), so it never inherits that switch from the shell or the Makefile.
os.environ.pop("CRM_DEBUG", None)

PG_URL = os.environ.get("CRM_TEST_DATABASE_URL", "")
CHROMIUM = "/usr/bin/chromium"


# --- databases -----------------------------------------------------------------------------------

def _pg_admin_url(url: str) -> str:
    return url.rsplit("/", 1)[0] + "/postgres"


def pg_create_database(url: str, name: str) -> str:
    """Create database ``name`` on the server of ``url`` and return its URL."""
    admin = open_database(_pg_admin_url(url))
    admin.connect()
    admin.connection().autocommit = True
    admin.execute_sql(f'CREATE DATABASE "{name}"')
    admin.close()
    return url.rsplit("/", 1)[0] + "/" + name


def pg_drop_database(url: str, name: str) -> None:
    """Drop database ``name`` on the server of ``url``, closing its other connections."""
    admin = open_database(_pg_admin_url(url))
    admin.connect()
    admin.connection().autocommit = True
    admin.execute_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                      (name,))
    admin.execute_sql(f'DROP DATABASE IF EXISTS "{name}"')
    admin.close()


# A migration's own test runs on both databases: PostgreSQL when CRM_TEST_DATABASE_URL names a server.
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not PG_URL, reason="CRM_TEST_DATABASE_URL not set"))]


@contextlib.contextmanager
def scratch_database(backend: str, folder: Path, prefix: str):
    """An empty database, opened: a SQLite file in ``folder``, or a new PostgreSQL database dropped afterwards."""
    name = None
    if backend == "sqlite":
        db = open_database(f"sqlite:///{folder / f'{prefix}.sqlite3'}")
    else:
        name = f"{prefix}_{uuid.uuid4().hex[:8]}"
        db = open_database(pg_create_database(PG_URL, name))
    try:
        yield db
    finally:
        db.close()
        if name:
            pg_drop_database(PG_URL, name)


def migrate(db: peewee.Database) -> None:
    """Apply every migration to ``db`` (bound to the shared proxy while it runs)."""
    database.initialize(db)
    with db.connection_context():
        router(db).run()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """A migrated database that each test copies (SQLite) or empties (PostgreSQL)."""
    if PG_URL:
        name = f"crm_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        url = pg_create_database(PG_URL, name)
        migrate(open_database(url))
        yield url
        database.close() if not database.is_closed() else None
        pg_drop_database(PG_URL, name)
    else:
        path = tmp_path_factory.mktemp("template") / "template.sqlite3"
        db = open_database(f"sqlite:///{path}")
        migrate(db)
        with db.connection_context():
            db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        yield path


def _fresh_database_url(template, tmp_path: Path) -> str:
    if PG_URL:
        db = open_database(template)
        with db.connection_context():
            tables = [m._meta.table_name for m in all_models()]
            db.execute_sql("TRUNCATE {} RESTART IDENTITY CASCADE".format(", ".join(f'"{t}"' for t in tables)))
        db.close()
        return template
    target = tmp_path / "crm.sqlite3"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


# --- mail --------------------------------------------------------------------------------------

class MailSink:
    """An aiosmtpd handler keeping every message it receives, parsed."""

    def __init__(self):
        self.messages = []
        self.received = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = message_from_bytes(envelope.content, policy=policy.default)
        message.envelope_to = list(envelope.rcpt_tos)
        message.raw = envelope.original_content or envelope.content
        self.messages.append(message)
        self.received.set()
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        """Return the messages sent to ``address``."""
        return [m for m in self.messages if address.lower() in [a.lower() for a in m.envelope_to]]

    def last_to(self, address: str):
        found = self.to(address)
        assert found, f"no mail reached {address}; got mail for {[m.envelope_to for m in self.messages]}"
        return found[-1]

    @staticmethod
    def text(message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    @staticmethod
    def html(message) -> str:
        return message.get_body(preferencelist=("html",)).get_content()

    @classmethod
    def links(cls, message) -> list[str]:
        return re.findall(r"https?://\S+", cls.text(message))


class SMTPServer:
    """A real SMTP server on 127.0.0.1 that a test can stop and start again on the same port."""

    def __init__(self):
        self.sink = MailSink()
        self.port = _free_port()
        self.controller = None

    def start(self):
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def __getattr__(self, name):
        return getattr(self.sink, name)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    """A real SMTP server (aiosmtpd) on 127.0.0.1 for this test; the app sends its mail here."""
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


# --- the application ----------------------------------------------------------------------------

@pytest.fixture
def app_config(database_template, tmp_path, smtp):
    """The configuration of this test's app; tests may change it before asking for ``app``."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": _fresh_database_url(database_template, tmp_path),
        "INDEX_DIR": str(tmp_path / "index"),
        "WTF_CSRF_ENABLED": False,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp.port,
        "MAIL_SUPPRESS_SEND": False,
        "BASE_URL": "http://127.0.0.1:5000",
        "RATELIMIT_STORAGE_URI": "memory://",
    }


class BufferedClient(FlaskClient):
    """A test client that reads each response whole and closes it, as a WSGI server does."""

    def open(self, *args, buffered=True, **kwargs):
        return super().open(*args, buffered=buffered, **kwargs)


@pytest.fixture
def app(app_config):
    """A fresh application with its own database and index folder."""
    application = create_app(app_config)
    # Like a real server, the test client closes each response once read, which runs the work done
    # after the response (mail delivery) before the test goes on.
    application.test_client_class = BufferedClient
    # The test's app context outlives each request, and so does ``g``, where flask-login caches the
    # signed-in user: forget it at the start of every request so each test client is itself.
    application.url_value_preprocessor(lambda endpoint, values: g.pop("_login_user", None))
    with application.app_context():
        database.connect(reuse_if_open=True)
        yield application
        if not database.is_closed():
            database.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(app):
    """Create a user with the test password: ``make_user("staff", email=...)``."""
    from crm.accounts.services import create_user

    counter = iter(range(1, 10_000))

    def make(role="staff", email=None, name=None, password=PASSWORD):
        n = next(counter)
        return create_user(email or f"{role}{n}@example.org", name or f"{role.title()} {n}", role, password)

    return make


@pytest.fixture
def login_as(app, make_user):
    """Return a test client signed in as a new user of ``role``: ``login_as("admin")``."""

    def sign_in(role, **kwargs):
        user = make_user(role, **kwargs)
        c = app.test_client()
        response = login(c, user.email)
        assert response.status_code == 302, response.get_data(as_text=True)
        c.user = user
        return c

    return sign_in


# --- the browser -----------------------------------------------------------------------------

def _close_when_sent(app):
    """Wrap ``app`` so each response is closed as soon as its last byte is written.

    Werkzeug's development server drains the client's socket before it closes the response, and that
    read can wait for as long as Chromium keeps the connection open; the app's after-response work
    (mail delivery, index updates) would then wait too. Gunicorn closes the response at once, and so
    does this wrapper; the inner close runs exactly once (a finished generator ignores a second close).
    """
    def wsgi(environ, start_response):
        body = app(environ, start_response)

        def chunks():
            try:
                yield from body
            finally:
                close = getattr(body, "close", None)
                if close is not None:
                    close()

        return chunks()

    return wsgi


@pytest.fixture
def live_server(app):
    """Serve this test's app on 127.0.0.1 (a free port) in a thread; stopped after the test."""
    server = make_server("127.0.0.1", 0, _close_when_sent(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = server.url
    yield server
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    home = tmp_path_factory.mktemp("chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
            env={**os.environ, "XDG_CONFIG_HOME": str(home / "config"), "XDG_CACHE_HOME": str(home / "cache")},
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server, app):
    """A fresh browser page (own cookies) whose relative URLs go to this test's live server."""
    app.config["WTF_CSRF_ENABLED"] = True  # the browser sends real forms
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    p = context.new_page()
    yield p
    context.close()
