"""Security headers on every response, Secure cookies outside debug and tests, no inline code in pages."""

import re
from pathlib import Path

import pytest

from crm import create_app
from tests.helpers import login

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
REAL_KEY = "a-real-key-of-at-least-thirty-two-characters"


def _directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {d.strip().split(" ", 1)[0]: d.strip().partition(" ")[2] for d in policy.split(";")}


@pytest.mark.parametrize("path", ["/", "/account/login", "/no-such-page", "/static/css/app.css"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    csp = _directives(response)
    assert csp["default-src"] == "'self'" and csp["script-src"] == "'self'" and csp["style-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # BASE_URL is http in tests


def test_hsts_is_sent_when_the_base_url_is_https(app, client):
    app.config["BASE_URL"] = "https://crm.example.org"
    assert client.get("/").headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_signed_in_pages_carry_them_too(login_as):
    staff = login_as("staff")
    assert staff.get("/dashboard").headers["X-Frame-Options"] == "DENY"


def test_cookies_are_secure_httponly_and_lax_outside_debug_and_tests(app_config, monkeypatch, tmp_path):
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.delenv("CRM_SECURE_COOKIES", raising=False)
    production = create_app({**app_config, "TESTING": False, "SECRET_KEY": REAL_KEY})
    assert production.config["SESSION_COOKIE_SECURE"] and production.config["REMEMBER_COOKIE_SECURE"]
    from crm.accounts.services import create_user

    with production.app_context():
        user = create_user("cookie@example.org", "Cookie", "staff", "correct horse battery")
    response = login(production.test_client(), user.email, remember=True)
    assert response.status_code == 302
    cookies = {h.split("=", 1)[0]: h for h in response.headers.getlist("Set-Cookie")}
    for name in ("session", "remember_token"):
        flags = [part.strip().lower() for part in cookies[name].split(";")]
        assert "secure" in flags and "httponly" in flags and "samesite=lax" in flags, cookies[name]
    # Debug mode, tests, or CRM_SECURE_COOKIES=0 (plain HTTP on purpose) leave them off.
    assert not create_app({**app_config, "TESTING": False, "SECRET_KEY": REAL_KEY, "SECURE_COOKIES": False}
                          ).config["SESSION_COOKIE_SECURE"]
    assert not create_app(app_config).config["SESSION_COOKIE_SECURE"]
    monkeypatch.setenv("CRM_SECURE_COOKIES", "1")
    assert create_app(app_config).config["REMEMBER_COOKIE_SECURE"]


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on… event handler"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def test_no_template_carries_inline_scripts_or_styles():
    """The CSP forbids them; mail templates are read in mail programs, not served, and are exempt."""
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        if path.relative_to(TEMPLATES).parts[0] == "mail":
            continue
        text = path.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(TEMPLATES)}:{line}: {what}")
    assert found == []
