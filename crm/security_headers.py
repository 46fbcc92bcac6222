"""Security headers on every response, and the cookie flags: one place, a few lines, no extension.

The Content-Security-Policy allows scripts and styles from this site's own files only: templates carry
no inline ``<script>``, ``<style>``, ``style=""`` or ``on…=`` handlers (a test walks them), and Pico's
icons are ``data:`` images inside its stylesheet.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HSTS = "max-age=31536000; includeSubDomains"

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    # Not "no-referrer": Flask-WTF's CSRF check over HTTPS needs the Referer of our own pages; and links
    # carrying tokens (reset, invitation, status) must not leak to other sites.
    "Referrer-Policy": "same-origin",
}


def init_app(app: Flask) -> None:
    """Send the security headers with every response, mark cookies Secure outside debug and tests, and
    read the client's address from trusted reverse proxies."""
    secure = app.config.get("SECURE_COOKIES")
    if secure is None:
        secure = not (app.debug or app.testing)
    # HttpOnly and SameSite=Lax are set with the other defaults in crm/config.py.
    app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = bool(secure)
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        # Behind a reverse proxy every request comes from the proxy's address: take the client's address
        # and scheme from the X-Forwarded-For/-Proto headers the trusted proxies set (rate limits need it).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    @app.after_request
    def _security_headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if str(app.config.get("BASE_URL", "")).lower().startswith("https://"):
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
