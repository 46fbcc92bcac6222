"""The wheel works on its own: built, installed into a fresh venv, run from another folder.

Production installs from a wheel, where the code sits in site-packages and no repository is around.
The module builds the wheel once (from a copy of the sources, so the checkout gets no build/ folder),
installs it with ``--no-deps`` into a fresh venv whose only other packages are the project's
dependencies, reached through a ``.pth`` file pointing at the test environment's site-packages (a
full dependency install takes minutes here; the wheel's own contents are what is under test). Then,
from an empty working directory, the installed ``crm`` migrates, seeds the demo network, and serves
pages, static files and a mail rendered from templates through gunicorn, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.conftest import PG_URL, pg_create_database, pg_drop_database

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ["crm", "templates", "migrations", "seeds", "setup.py", "setup.cfg", "pyproject.toml", "README.md"]
SECRET_KEY = "wheel-test-secret-key-long-enough-for-production-0123456789"


def _run(args, **kwargs):
    result = subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """Build the wheel and install it into a fresh venv; return the venv and its site-packages."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / name, source / name)
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(base / "dist"), str(source)])
    [wheel] = (base / "dist").glob("crm-*.whl")

    venv = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).stdout.strip())
    (site / "crm_test_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", str(wheel)])
    return {"venv": venv, "site": site, "source": source}


def test_the_wheel_carries_templates_migrations_seeds_and_static_files(installed):
    package = installed["site"] / "crm"
    source = installed["source"]
    for folder in ("templates", "migrations", "seeds"):
        shipped = sorted(p.relative_to(source / folder) for p in (source / folder).rglob("*") if p.is_file())
        assert shipped and sorted(p.relative_to(package / folder) for p in (package / folder).rglob("*")
                                  if p.is_file() and "__pycache__" not in p.parts) == shipped, folder
    assert (package / "static" / "css" / "app.css").read_bytes() == (source / "crm" / "static" / "css" / "app.css").read_bytes()
    for code in ("fr", "es", "ar"):  # the compiled catalogues the app reads (issue 13)
        catalogue = Path("translations") / code / "LC_MESSAGES" / "messages.mo"
        assert (package / catalogue).read_bytes() == (source / "crm" / catalogue).read_bytes(), catalogue
    assert not (installed["site"] / "templates").exists() and not (installed["site"] / "migrations").exists()


class Browser:
    """A tiny HTTP client keeping its cookies (also the Secure ones: the test server is plain HTTP)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            self.cookies.update({name: morsel.value for name, morsel in cookie.items()})
        connection.close()
        return response.status, response.headers, data

    def form(self, path: str, fields: dict) -> tuple[int, dict, bytes]:
        """GET the form at ``path``, then POST ``fields`` with its CSRF token."""
        status, _, page = self.request("GET", path)
        assert status == 200, page[:500]
        token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1).decode()
        return self.request("POST", path, {**fields, "csrf_token": token})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request):
    """None for SQLite (the default file under ./instance), or a dedicated PostgreSQL database."""
    if request.param == "sqlite":
        yield None
        return
    if not PG_URL:
        pytest.skip("CRM_TEST_DATABASE_URL not set")
    name = f"crm_wheel_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    yield pg_create_database(PG_URL, name)
    pg_drop_database(PG_URL, name)


def test_the_installed_wheel_migrates_seeds_and_serves_from_another_folder(installed, database_url, smtp, tmp_path):
    venv, site = installed["venv"], installed["site"]
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path), "CRM_SECRET_KEY": SECRET_KEY,
           "CRM_MAIL_SERVER": "127.0.0.1", "CRM_MAIL_PORT": str(smtp.port)}
    if database_url:
        env["CRM_DATABASE_URL"] = database_url
    crm = [str(venv / "bin" / "crm")]
    migrations = sorted(p.stem for p in (site / "crm" / "migrations").glob("[0-9]*.py"))
    assert len(migrations) >= 9

    where = _run([str(venv / "bin" / "python"), "-c", "import crm; print(crm.__file__)"], env=env, cwd=workdir)
    assert where.stdout.strip() == str(site / "crm" / "__init__.py")

    upgrade = _run(crm + ["db", "upgrade"], env=env, cwd=workdir)
    assert f"Applied {len(migrations)} migration(s): {', '.join(migrations)}" in upgrade.stdout
    assert f"{len(migrations)} applied, 0 pending." in _run(crm + ["db", "status"], env=env, cwd=workdir).stdout
    seed = _run(crm + ["seed", "--demo"], env=env, cwd=workdir)
    assert "admin@example.org" in seed.stdout and "demo-admin-2026" in seed.stdout
    # Instance data lands in the working directory, never beside the code.
    assert (workdir / "instance").is_dir()
    assert (workdir / "instance" / "crm.sqlite3").is_file() == (database_url is None)
    assert not (site / "instance").exists() and not (site / "crm" / "instance").exists()

    port = _free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        server = subprocess.Popen([str(venv / "bin" / "python"), "-m", "gunicorn", "--no-control-socket", "-w", "1",
                                   "-b", f"127.0.0.1:{port}", "crm:create_app()"],
                                  env=env, cwd=workdir, stdout=out, stderr=subprocess.STDOUT)
    try:
        browser = Browser(port)
        deadline = time.monotonic() + 30
        while True:
            try:
                status, headers, css = browser.request("GET", "/static/css/app.css")
                break
            except OSError:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "gunicorn did not answer within 30 s"
                time.sleep(0.2)
        assert status == 200 and headers["Content-Type"].startswith("text/css")
        assert css == (site / "crm" / "static" / "css" / "app.css").read_bytes()

        status, _, page = browser.request("GET", "/account/forgot")
        assert status == 200 and b"<h1>Reset your password</h1>" in page and b'href="/static/css/app.css' in page
        status, _, page = browser.request("GET", "/apply?lang=fr")  # the wheel's catalogues are found
        assert status == 200 and "<h1>Demander l'adhésion</h1>".encode() in page
        assert browser.request("GET", "/apply?lang=en")[0] == 200  # back to English for what follows
        status, headers, _ = browser.form("/account/forgot", {"email": "admin@example.org"})
        assert status == 302 and headers["Location"].endswith("/login")
        # Whatever delivery after the response left in the outbox goes out now.
        _run(crm + ["mail", "send-queued", "--force"], env=env, cwd=workdir)
        assert smtp.received.wait(15), "no mail reached the SMTP server"
        mail = smtp.last_to("admin@example.org")
        text = smtp.text(mail)
        assert text.startswith("Hello Amira Haddad,") and "/reset/" in text and "{{" not in text
        assert "<html" in smtp.html(mail).lower()

        status, headers, _ = browser.form("/account/login", {"email": "admin@example.org", "password": "demo-admin-2026"})
        assert status == 302, "the demo admin could not sign in"
        status, _, page = browser.request("GET", "/cities/")
        assert status == 200 and b"Oslo" in page and b"Member cities" in page
    finally:
        server.terminate()
        server.wait(timeout=30)
