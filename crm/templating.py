"""Jinja filters and globals shared by every template."""

from __future__ import annotations

import datetime as dt

from flask import g, has_request_context, url_for
from markupsafe import Markup

from crm.core.zones import in_zone, valid_zone
from crm.features import registry

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "h4", "blockquote", "code", "pre", "hr"}


def render_markdown(text: str | None) -> Markup:
    """Render user Markdown to HTML with everything unsafe removed."""
    # Imported on first use: commands that render no page (crm --help, crm peers) do not pay for Markdown.
    import markdown as md
    import nh3

    html = md.markdown(text or "", extensions=["sane_lists"])
    return Markup(nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                            link_rel="noopener noreferrer nofollow"))


def viewer_zone():
    """The signed-in viewer's time zone for pages, or None (UTC): mails are never in the sender's zone."""
    if not has_request_context() or g.get("rendering_mail"):
        return None
    from flask_login import current_user

    return valid_zone(getattr(current_user, "timezone", "") if current_user else "")


def format_datetime(value: dt.datetime | None, fmt: str = "%d %b %Y, %H:%M") -> str:
    """Format a stored UTC time for people: in the viewer's time zone when known, else in UTC."""
    if not value:
        return "—"
    zone = viewer_zone()
    if zone is None:
        return f"{value.strftime(fmt)} UTC"
    local = in_zone(value, zone)
    return f"{local.strftime(fmt)} {local.tzname()}"


def format_date(value: dt.date | None, fmt: str = "%d %b %Y") -> str:
    """Format a date for people."""
    return value.strftime(fmt) if value else "—"


def nav_items(area: str) -> list[dict]:
    """Return the navigation links of ``area`` that the app's features declare (``Feature.nav``), for templates."""
    # Labels are lazy strings (flask_babel.lazy_gettext): str() translates them for this request.
    return [{"label": str(label), "url": url_for(endpoint)} for label, endpoint in registry().nav(area)]


def init_app(app) -> None:
    """Register the filters and globals."""
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals["nav_items"] = nav_items
    app.jinja_env.filters.update(markdown=render_markdown, datetime=format_datetime, date=format_date)
    app.jinja_env.globals.update(now=lambda: dt.datetime.now(dt.UTC))
