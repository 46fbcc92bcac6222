"""Jinja filters and globals shared by every template."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from decimal import Decimal

from babel import Locale
from babel.dates import format_date as babel_date
from babel.dates import format_skeleton
from babel.lists import format_list
from babel.numbers import format_decimal
from flask import g, has_request_context, url_for
from markupsafe import Markup

from crm.core.zones import in_zone, valid_zone
from crm.features import registry
from crm.i18n import DEFAULT, current_language

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


# strftime directives -> the letters of a CLDR skeleton (https://unicode.org/reports/tr35/tr35-dates.html):
# a template says *what* to show ("%d %b %Y": day, short month, year) and each language says in which
# order and with which words ("5 mars 2027", "5 mar 2027", "5 مارس 2027").
_DATE_FIELDS = {"%Y": "y", "%B": "MMMM", "%b": "MMM", "%m": "MM", "%A": "EEEE", "%a": "E", "%d": "d"}
_TIME_FIELDS = {"%H": "H", "%M": "m", "%S": "s"}
_SKELETON_ORDER = "yMEd"


@functools.cache
def _skeletons(fmt: str) -> tuple[str, str] | None:
    """The (date, time) skeletons of a strftime format, or None when it holds a directive not mapped."""
    directives = re.findall(r"%.", fmt)
    if any(d not in _DATE_FIELDS and d not in _TIME_FIELDS for d in directives):
        return None
    # Only formats with words (month or weekday names) differ by language; numeric ones ("%Y-%m-%d",
    # "%H:%M") may be machine values (an input's value, a file name) and are the same for everyone.
    if not {"%a", "%A", "%b", "%B"} & set(directives):
        return None
    date = sorted((_DATE_FIELDS[d] for d in directives if d in _DATE_FIELDS), key=lambda f: _SKELETON_ORDER.index(f[0]))
    time = [_TIME_FIELDS[d] for d in directives if d in _TIME_FIELDS]
    return "".join(date), "".join(time)


def localized_strftime(value: dt.date | dt.datetime, fmt: str, language: str | None = None) -> str:
    """``value.strftime(fmt)`` in English; in another language, the same fields in that language's words and order.

    English keeps strftime exactly (pages and tests read "05 Mar 2027, 14:00"); a format without month or
    weekday names, or with a directive that has no CLDR counterpart here, is strftime in every language.
    """
    language = language or current_language()
    skeletons = _skeletons(fmt) if language != DEFAULT else None
    if skeletons is None:
        return value.strftime(fmt)
    date_skeleton, time_skeleton = skeletons
    # The weekday and month in full ("%A %d %B %Y"): the locale's full date ("vendredi 5 mars 2027");
    # Babel's skeleton matching would shorten them.
    if date_skeleton == "yMMMMEEEEd":
        date_text = babel_date(value, "full", locale=language)
    elif date_skeleton:
        date_text = format_skeleton(date_skeleton, value, locale=language)
    else:
        date_text = ""
    time_text = format_skeleton(time_skeleton, value, locale=language) \
        if time_skeleton and isinstance(value, dt.datetime) else ""
    if date_text and time_text:
        return Locale.parse(language).datetime_formats["medium"].format(time_text, date_text)
    return date_text or time_text


def format_datetime(value: dt.datetime | None, fmt: str = "%d %b %Y, %H:%M") -> str:
    """Format a stored UTC time for people: in the viewer's time zone when known, else in UTC, in the page's language."""
    if not value:
        return "—"
    zone = viewer_zone()
    if zone is None:
        return f"{localized_strftime(value, fmt)} UTC"
    local = in_zone(value, zone)
    return f"{localized_strftime(local, fmt)} {local.tzname()}"


def format_date(value: dt.date | None, fmt: str = "%d %b %Y") -> str:
    """Format a date (or a time's date and clock) for people, in the page's language."""
    return localized_strftime(value, fmt) if value else "—"


def format_number(value: int | float | Decimal | None, digits: int | None = None) -> str:
    """Format a number for people: the page's digit grouping and decimal sign ("12 345,5" in French).

    English stays as the pages always showed numbers (``1234``, or ``digits`` decimals), so existing
    English text does not change.
    """
    if value is None:
        return "—"
    if current_language() == DEFAULT:
        return str(value) if digits is None else f"{value:.{digits}f}"
    pattern = None
    if digits is not None:
        pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=current_language())


def format_items(items: Iterable) -> str:
    """Join items for a sentence: "A, B, C" in English (as ``join(', ')``), "A, B et C" in French."""
    items = [str(item) for item in items]
    if current_language() == DEFAULT:
        return ", ".join(items)
    return format_list(items, style="standard", locale=current_language())


def nav_items(area: str) -> list[dict]:
    """Return the navigation links of ``area`` that the app's features declare (``Feature.nav``), for templates."""
    # Labels are lazy strings (flask_babel.lazy_gettext): str() translates them for this request.
    return [{"label": str(label), "url": url_for(endpoint)} for label, endpoint in registry().nav(area)]


def init_app(app) -> None:
    """Register the filters and globals."""
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals["nav_items"] = nav_items
    app.jinja_env.filters.update(markdown=render_markdown, datetime=format_datetime, date=format_date,
                                 number=format_number, items=format_items)
    app.jinja_env.globals.update(now=lambda: dt.datetime.now(dt.UTC))
