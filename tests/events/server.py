"""A multi-worker gunicorn server on 127.0.0.1 for concurrency tests and the bench."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def terminate(process: subprocess.Popen) -> None:
    """End a server process: SIGTERM (gunicorn's graceful stop), then SIGKILL if it is still there after 15 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


class Gunicorn:
    """Start ``gunicorn -w N wsgi:app`` against a database URL; ``stop()`` ends it."""

    def __init__(self, database_url: str, *, workers: int = 4, mail_port: int | None = None, secret: str = "test-secret-key-long-enough-for-gunicorn"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "CRM_DATABASE_URL": database_url, "CRM_SECRET_KEY": secret,
               "CRM_BASE_URL": self.url, "CRM_MAIL_SERVER": "127.0.0.1",
               "CRM_MAIL_PORT": str(mail_port or free_port()), "CRM_RATELIMIT_STORAGE_URI": "memory://",
               "CRM_DEBUG": "0", "CRM_SECURE_COOKIES": "0"}  # plain HTTP on 127.0.0.1
        self.log = open(os.devnull, "wb") if not os.environ.get("CRM_SHOW_SERVER_LOG") else None
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self.process = subprocess.Popen(
            [gunicorn, "--no-control-socket", "-w", str(workers), "-b", f"127.0.0.1:{self.port}",
             "--timeout", "60", "--graceful-timeout", "5", "wsgi:app"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT if self.log else None)
        self._wait()

    def _wait(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.url + "/events/", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer in time")

    def stop(self) -> None:
        terminate(self.process)
        if self.log:
            self.log.close()


def public_registration(base_url: str, event_id: int, n: int, barrier=None) -> tuple[int, str, float]:
    """Fetch the public form (session cookie + CSRF token), wait at ``barrier``, then register person n.

    Returns (status, body, seconds the POST took).
    """
    import http.cookiejar
    import re
    import urllib.parse

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    url = f"{base_url}/events/{event_id}/join"
    with opener.open(url, timeout=60) as response:
        html = response.read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or \
        re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    data = urllib.parse.urlencode({"csrf_token": token.group(1), "name": f"Participant {n:03d}",
                                   "email": f"participant{n:03d}@example.org", "organisation": "Test City",
                                   "sector": "city_government", "city": "", "consent_listed": "y"}).encode()
    if barrier is not None:
        barrier.wait(timeout=60)
    started = time.monotonic()
    try:
        with opener.open(urllib.request.Request(url, data=data, method="POST"), timeout=120) as response:
            return response.status, response.read().decode(), time.monotonic() - started
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), time.monotonic() - started
