"""The anniversaries calendar feed (RFC 5545): a signed link per staff member, and yearly events.

Calendar clients cannot sign in, so the link itself is the key: it carries the user's id and the random
key of their ``AnniversaryFeed`` row, signed. A new key (rotate) ends the old link, deleting the row
(revoke) ends every link, and a link older than ``FEED_VALID_DAYS`` stops working until renewed. The feed
holds only what its user may see now: staff who leave the secretariat, or are deactivated, get nothing.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from urllib.parse import urlsplit

import icalendar
from flask import current_app
from flask_babel import gettext as _

from crm.anniversaries.models import AnniversaryFeed
from crm.anniversaries.services import (
    AnniversaryError,
    anniversaries_between,
    visible_incidents,
)
from crm.audit.services import record
from crm.core import tokens
from crm.core.urls import absolute_url
from crm.db import database, utcnow
from crm.templating import format_date

SALT = "anniversary-feed"
FEED_VALID_DAYS = 366
PRODID = "-//Strong Cities Network//CRM anniversaries//EN"
NAMED_YEARS_BEFORE, NAMED_YEARS_AFTER = 1, 3  # occurrences around today carry "10th anniversary" in their title


class FeedRefused(AnniversaryError):
    """The link is not (or no longer) valid: altered, rotated, revoked, or its user may not see the calendar."""


class FeedExpired(FeedRefused):
    """The link was valid but is older than ``FEED_VALID_DAYS``: renew it on the calendar page."""


def may_subscribe(user) -> bool:
    """The feed is for the secretariat, like the calendar page."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_secretariat)


def feed_of(user) -> AnniversaryFeed | None:
    """The user's feed key, if they made a link."""
    return AnniversaryFeed.get_or_none(AnniversaryFeed.user == user.id)


def rotate(user) -> AnniversaryFeed:
    """Make a new feed link for ``user`` (the previous one stops working)."""
    if not may_subscribe(user):
        raise FeedRefused("Only the secretariat may subscribe to the anniversaries calendar.")
    with database.atomic():
        feed = feed_of(user)
        if feed is None:
            feed = AnniversaryFeed.create(user=user.id, key=secrets.token_hex(16))
            record(user, "anniversary_feed.create", feed, summary="Made an anniversaries calendar link")
        else:
            feed.key, feed.created_at, feed.last_used_at = secrets.token_hex(16), utcnow(), None
            feed.save()
            record(user, "anniversary_feed.rotate", feed, summary="Renewed the anniversaries calendar link")
    return feed


def revoke(user) -> bool:
    """End ``user``'s feed link; return whether there was one."""
    with database.atomic():
        feed = feed_of(user)
        if feed is None:
            return False
        record(user, "anniversary_feed.revoke", feed, summary="Revoked the anniversaries calendar link")
        feed.delete_instance()
    return True


def token_for(feed: AnniversaryFeed) -> str:
    """The signed token of a feed link."""
    return tokens.sign({"u": feed.user_id, "k": feed.key}, SALT)


def feed_url(feed: AnniversaryFeed) -> str:
    """The address calendar clients subscribe to."""
    return absolute_url("anniversaries.feed", token=token_for(feed))


def expires_on(feed: AnniversaryFeed) -> dt.date:
    return (feed.created_at + dt.timedelta(days=FEED_VALID_DAYS)).date()


def user_for_token(token: str, *, now: dt.datetime | None = None):
    """Return the user a feed token stands for; FeedRefused or FeedExpired when it does not (any more)."""
    try:
        data = tokens.unsign(token, SALT)
        user_id, key = int(data["u"]), str(data["k"])
    except (tokens.InvalidToken, KeyError, TypeError, ValueError) as exc:
        raise FeedRefused("This calendar link is not valid.") from exc
    feed = AnniversaryFeed.get_or_none(AnniversaryFeed.user == user_id)
    if feed is None or not hmac.compare_digest(feed.key, key):
        raise FeedRefused("This calendar link was renewed or revoked.")
    if (now or utcnow()) - feed.created_at > dt.timedelta(days=FEED_VALID_DAYS):
        raise FeedExpired("This calendar link has expired: renew it on the anniversaries page.")
    user = feed.user
    if not may_subscribe(user):
        raise FeedRefused("This calendar link's owner may no longer see the anniversaries calendar.")
    (AnniversaryFeed
     .update(last_used_at=utcnow())
     .where(AnniversaryFeed.id == feed.id)
     .execute())
    return user


def _host() -> str:
    return urlsplit(current_app.config["BASE_URL"]).hostname or "crm.local"


def _description(incident) -> str:
    city = incident.city
    lines = [_("%(city)s remembers “%(title)s” (%(day)s).", city=city.name, title=incident.title,
               day=format_date(incident.occurred_on, "%d %B %Y")),
             _("Milestone anniversaries: the 1st, 5th, 10th, 15th, 20th…"),
             _("Anniversaries calendar: %(url)s", url=absolute_url("anniversaries.calendar"))]
    return "\n".join(lines)


def _vevent(incident, summary: str, stamp: dt.datetime) -> icalendar.Event:
    item = icalendar.Event()
    item.add("uid", f"anniversary-{incident.id}@{_host()}")
    item.add("dtstamp", stamp)
    item.add("summary", summary)
    item.add("description", _description(incident))
    item.add("location", f"{incident.city.name}, {incident.city.country}")
    item.add("url", absolute_url("incidents.incident_detail", incident_id=incident.id))
    item.add("transp", "TRANSPARENT")
    item.add("class", "CONFIDENTIAL" if incident.visibility != "public" else "PUBLIC")
    return item


def _recurrence(occurred_on: dt.date) -> dict:
    if (occurred_on.month, occurred_on.day) == (2, 29):
        return {"freq": "yearly", "bymonth": 2, "bymonthday": -1}  # the last day of February
    return {"freq": "yearly"}


def feed_ics(user, *, today: dt.date | None = None) -> bytes:
    """The calendar of the anniversaries ``user`` may see: one yearly all-day event per dated incident.

    Each event recurs every year from the first anniversary; the occurrences from a year ago to three years
    ahead are also given on their own (RECURRENCE-ID) with their number, "10th anniversary (milestone)".
    """
    today = today or dt.date.today()
    stamp = utcnow().replace(tzinfo=dt.UTC)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _("Anniversaries of member cities' attacks"))
    incidents = visible_incidents(user)
    named = anniversaries_between(incidents, today.replace(year=today.year - NAMED_YEARS_BEFORE, day=1, month=1),
                                  dt.date(today.year + NAMED_YEARS_AFTER + 1, 1, 1))
    by_incident: dict[int, list] = {}
    for anniversary in named:
        by_incident.setdefault(anniversary.incident.id, []).append(anniversary)
    for incident in sorted(incidents, key=lambda i: i.id):
        occurred = incident.occurred_on
        first = anniversaries_between([incident], occurred + dt.timedelta(days=1),
                                      dt.date(occurred.year + 2, 12, 31))[0]
        master = _vevent(incident, _("Anniversary: %(title)s (%(city)s, %(year)s)", title=incident.title,
                                     city=incident.city.name, year=occurred.year), stamp)
        master.add("dtstart", first.on)
        master.add("dtend", first.on + dt.timedelta(days=1))
        master.add("rrule", _recurrence(occurred))
        cal.add_component(master)
        for anniversary in by_incident.get(incident.id, ()):
            summary = (_("%(label)s (milestone): %(title)s (%(city)s)", label=anniversary.shown_label,
                         title=incident.title, city=incident.city.name) if anniversary.milestone
                       else _("%(label)s: %(title)s (%(city)s)", label=anniversary.shown_label, title=incident.title,
                              city=incident.city.name))
            item = _vevent(incident, summary, stamp)
            item.add("recurrence-id", anniversary.on)
            item.add("dtstart", anniversary.on)
            item.add("dtend", anniversary.on + dt.timedelta(days=1))
            if anniversary.milestone:
                item.add("categories", [_("Milestone anniversary")])
            cal.add_component(item)
    return cal.to_ical()
