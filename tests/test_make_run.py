"""`make run`: the port is a setting, emailed links follow it, and debug mode is what the banner says."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _dry_run(*args, **env) -> str:
    """The command `make run` would serve with (under `make test` too: no nested-make chatter)."""
    clean = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    result = subprocess.run(["make", "-n", "--no-print-directory", "run", *args], cwd=ROOT, capture_output=True,
                            text=True, env={**clean, **env}, check=True)
    return next(line for line in reversed(result.stdout.splitlines()) if " run --host " in line)


def test_port_chooses_where_make_run_serves_and_the_links_follow():
    assert re.search(r"--port 5000$", _dry_run())
    assert "http://127.0.0.1:5000" in _dry_run()
    line = _dry_run("PORT=5099")
    assert line.endswith("--port 5099"), line
    assert 'CRM_BASE_URL="${CRM_BASE_URL:-http://127.0.0.1:5099}"' in line, line


def test_a_base_url_given_by_the_user_wins_over_the_port(tmp_path):
    line = _dry_run("PORT=5099")
    script = line.replace(f"{Path('.venv/bin/crm')}", f"{sys.executable} -c 'import os; print(os.environ[\"CRM_BASE_URL\"])'")
    script = script.split(" --host")[0]
    shown = subprocess.run(["sh", "-c", script], capture_output=True, text=True,
                           env={**os.environ, "CRM_BASE_URL": "https://crm.example.org"}, check=True).stdout
    assert shown.strip() == "https://crm.example.org"
    shown = subprocess.run(["sh", "-c", script], capture_output=True, text=True,
                           env={k: v for k, v in os.environ.items() if k != "CRM_BASE_URL"}, check=True).stdout
    assert shown.strip() == "http://127.0.0.1:5099"


def _banner(tmp_path, **env) -> str:
    """Start `crm run` on a free port; return its 'Debug mode' line; stop it (and its reloader child)."""
    import signal
    import socket
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    tmp_path.mkdir()
    environ = {k: v for k, v in os.environ.items() if k not in ("CRM_DEBUG", "FLASK_DEBUG")}
    environ.update(CRM_INSTANCE_DIR=str(tmp_path), CRM_DATABASE_URL=f"sqlite:///{tmp_path}/crm.sqlite3", **env)
    proc = subprocess.Popen([str(Path(sys.executable).parent / "crm"), "run", "--host", "127.0.0.1",
                             "--port", str(port)], cwd=tmp_path, env=environ, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        for line in proc.stdout:
            if "Debug mode:" in line or time.monotonic() > deadline:
                return line.strip()
        return ""
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
        proc.stdout.close()


def test_crm_debug_turns_the_debugger_on_and_the_banner_says_so(tmp_path):
    assert _banner(tmp_path / "dev", CRM_DEBUG="1").endswith("Debug mode: on")
    assert _banner(tmp_path / "prod", CRM_SECRET_KEY="k" * 40).endswith("Debug mode: off")
