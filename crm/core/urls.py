"""Absolute addresses for mails and calendars, the same inside a request and from cron or the CLI."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for


def absolute_url(endpoint: str, **values) -> str:
    """Return the public address of ``endpoint`` under ``BASE_URL`` (``CRM_BASE_URL``).

    Inside a request it is ``url_for``; outside one (a cron command, a background thread) the path is
    built from the URL map, since pushing a request context there would close the database connection
    of the caller's transaction when it ends.
    """
    base = current_app.config["BASE_URL"].rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    return base + current_app.url_map.bind("localhost").build(endpoint, values)
