"""Jinja filters and globals shared by every template."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from decimal import Decimal

from babel import Locale
from babel.dates import DateTimeFormat, match_skeleton, parse_pattern
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


@functools.cache
def _cldr_pattern(fmt: str, language: str) -> tuple[str, tuple[str, ...], bool] | None:
    """The ``%``-format string, field keys and "has a time" of ``fmt`` in ``language``'s CLDR patterns, or None
    (strftime). Worked out once per format and language: a list page formats hundreds of times."""
    skeletons = _skeletons(fmt)
    if skeletons is None:
        return None
    locale = Locale.parse(language)
    date_skeleton, time_skeleton = skeletons

    def skeleton_pattern(skeleton: str) -> str:
        return locale.datetime_skeletons[match_skeleton(skeleton, locale.datetime_skeletons)].pattern

    # The weekday and month in full ("%A %d %B %Y"): the locale's full date ("vendredi 5 mars 2027");
    # Babel's skeleton matching would shorten them.
    date = locale.date_formats["full"].pattern if date_skeleton == "yMMMMEEEEd" else \
        skeleton_pattern(date_skeleton) if date_skeleton else ""
    time = skeleton_pattern(time_skeleton) if time_skeleton else ""
    pattern = locale.datetime_formats["medium"].replace("{1}", date).replace("{0}", time) if date and time \
        else date or time
    parsed = parse_pattern(pattern)
    return parsed.format, tuple(re.findall(r"%\((\w+)\)s", parsed.format)), bool(time)


@functools.cache
def _names(language: str) -> dict:
    locale = Locale.parse(language)
    return {"months": locale.months, "days": locale.days, "locale": locale}


def _field(key: str, value: dt.date, names: dict) -> str:
    """One field of a CLDR pattern ("d", "MMM", "EEEE", "HH"…) for ``value``; Babel for the rare others."""
    letter, width = key[0], len(key)
    if letter in "ML" and width >= 3:
        context = "format" if letter == "M" else "stand-alone"
        return names["months"][context]["abbreviated" if width == 3 else "wide"][value.month]
    if letter in "Ec" and (width <= 4 and (letter == "E" or width >= 3)):
        context = "format" if letter == "E" else "stand-alone"
        return names["days"][context]["wide" if width == 4 else "abbreviated"][value.weekday()]
    number = {"d": "day", "M": "month", "L": "month", "H": "hour", "m": "minute", "s": "second"}.get(letter)
    if number:
        return str(getattr(value, number)).zfill(width)
    if key in ("y", "yyyy"):
        return str(value.year)
    return DateTimeFormat(value, names["locale"])[key]


def localized_strftime(value: dt.date | dt.datetime, fmt: str, language: str | None = None) -> str:
    """``value.strftime(fmt)`` in English; in another language, the same fields in that language's words and order.

    English keeps strftime exactly (pages and tests read "05 Mar 2027, 14:00"); a format without month or
    weekday names, or with a directive that has no CLDR counterpart here, is strftime in every language.
    """
    language = language or current_language()
    compiled = _cldr_pattern(fmt, language) if language != DEFAULT else None
    if compiled is None:
        return value.strftime(fmt)
    template, keys, has_time = compiled
    if has_time and not isinstance(value, dt.datetime):
        return value.strftime(fmt)
    names = _names(language)
    return template % {key: _field(key, value, names) for key in keys}


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


def format_number(value: int | float | Decimal | None, digits: int | None = None, grouped: bool = False) -> str:
    """Format a number for people: the page's digit grouping and decimal sign ("12 345,5" in French).

    English stays as the pages always showed numbers (``1234``, or ``digits`` decimals; with ``grouped``,
    thousands separated by commas: ``12,345``), so existing English text does not change.
    """
    if value is None:
        return "—"
    if current_language() == DEFAULT:
        if grouped:
            return f"{value:,}" if digits is None else f"{value:,.{digits}f}"
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
