"""Anniversaries of the incidents on record: which fall in a window, who to write to, and a solidarity draft.

The computation (``anniversary_on``, ``anniversaries_between``) is plain Python on dates, tested without
Flask. An attack of 29 February is remembered on 28 February in common years (the last day of February,
as the iCal feed's ``BYMONTHDAY=-1`` does). Every year is listed; the 1st, 5th, 10th, 15th… are milestones.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

import peewee
from flask_babel import gettext as _
from flask_babel import ngettext

from crm.contacts.models import Contact
from crm.core.errors import DomainError
from crm.db import database
from crm.i18n import current_language
from crm.incidents.models import Incident
from crm.incidents.services import can_view
from crm.lessons.models import Lesson
from crm.lessons.services import collapse_query, visible_lessons
from crm.mailings import services as mailings
from crm.mailings.models import MailingList
from crm.membership.models import City

MILESTONE_EVERY = 5  # and the first anniversary
COMMEMORATION_THEME = "memorials_anniversaries"
LONG_TERM_PHASE = "long_term"
RECIPIENT_ROLES = ("focal_point", "leader")  # a solidarity message goes from city to city
MAX_SUGGESTED_PEERS = 8


class AnniversaryError(DomainError):
    """A user-facing refusal: the message says what happened and what to do."""


# --- the computation ---------------------------------------------------------------------------------

def is_milestone(years: int) -> bool:
    """The 1st, 5th, 10th, 15th… anniversaries are milestones."""
    return years == 1 or (years > 0 and years % MILESTONE_EVERY == 0)


def ordinal(n: int) -> str:
    """Return ``n`` as an English ordinal: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def anniversary_on(occurred_on: dt.date, year: int) -> dt.date:
    """The day ``occurred_on`` is remembered in ``year`` (29 February: the 28th in common years)."""
    try:
        return occurred_on.replace(year=year)
    except ValueError:  # 29 February in a common year
        return dt.date(year, 2, 28)


@dataclass(frozen=True)
class Anniversary:
    """The ``years``-th anniversary of ``incident``, remembered on ``on``."""

    incident: Incident
    on: dt.date
    years: int

    @property
    def city(self) -> City:
        return self.incident.city

    @property
    def milestone(self) -> bool:
        return is_milestone(self.years)

    @property
    def label(self) -> str:
        """The English label ("5th anniversary"), kept in stored names and the iCal feed."""
        return f"{ordinal(self.years)} anniversary"

    @property
    def shown_label(self) -> str:
        """The label in the page's language (the same as ``label`` in English)."""
        suffix = ordinal(self.years)[len(str(self.years)):]  # "st", "nd", "rd", "th": English only
        return ngettext("%(num)d%(suffix)s anniversary", "%(num)d%(suffix)s anniversary", self.years, suffix=suffix)

    @property
    def date_may_be_year_only(self) -> bool:
        # Imports that find only a year record the attack on 1 January (crm.incidents.services).
        return (self.incident.occurred_on.month, self.incident.occurred_on.day) == (1, 1)


def anniversaries_between(incidents: Iterable, start: dt.date, end: dt.date) -> list[Anniversary]:
    """Return the anniversaries (1st and later) of ``incidents`` from ``start`` up to, not including, ``end``.

    Ordered by day, then city name, then incident; incidents without a date have none.
    """
    found = []
    for incident in incidents:
        occurred = incident.occurred_on
        if occurred is None:
            continue
        for year in range(max(start.year, occurred.year + 1), end.year + 1):
            on = anniversary_on(occurred, year)
            if start <= on < end:
                found.append(Anniversary(incident, on, year - occurred.year))
    return sorted(found, key=lambda a: (a.on, a.incident.city.name.casefold(), a.incident.id))


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` (the last day of the month when the day does not exist there)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


# --- what a user may see -------------------------------------------------------------------------------

def visible_incidents(user, *, region: str = ""):
    """The dated incidents ``user`` may see (incidents.can_view), of cities that have not withdrawn."""
    query = (Incident
             .select(Incident, City)
             .join(City)
             .where(Incident.occurred_on.is_null(False), City.status != "withdrawn"))
    if not getattr(user, "is_authenticated", False):
        query = query.where(Incident.visibility == "public")
    if region:
        query = query.where(City.region == region)
    # The query mirrors can_view; checking each row too keeps the two from drifting apart silently.
    return [incident for incident in query if can_view(user, incident)]


def upcoming(user, *, today: dt.date | None = None, months: int = 12, days: int | None = None, region: str = "",
             milestones_only: bool = False) -> list[Anniversary]:
    """The anniversaries ``user`` may see from ``today`` for ``months`` (or ``days``), by day."""
    start = today or dt.date.today()
    end = start + dt.timedelta(days=days) if days is not None else add_months(start, months)
    found = anniversaries_between(visible_incidents(user, region=region), start, end)
    return [a for a in found if a.milestone] if milestones_only else found


# --- the rows of the calendar --------------------------------------------------------------------------

def focal_points(city_ids: Iterable[int]) -> dict[int, list[Contact]]:
    """The focal points of the cities (erased contacts left out), by city id."""
    found: dict[int, list[Contact]] = {}
    ids = list(set(city_ids))
    if not ids:
        return found
    query = (Contact
             .select()
             .where(Contact.city.in_(ids), Contact.city_role == "focal_point", Contact.erased_at.is_null())
             .order_by(Contact.name_key))
    for contact in query:
        found.setdefault(contact.city_id, []).append(contact)
    return found


def commemoration_lessons(user, city_ids: Iterable[int], *, per_city: int = 3) -> dict[int, list[Lesson]]:
    """The lessons ``user`` may read of each city on memorials and anniversaries or the long-term phase."""
    found: dict[int, list[Lesson]] = {}
    ids = list(set(city_ids))
    if not ids:
        return found
    query = (visible_lessons(user)
             .where(Lesson.city.in_(ids),
                    (Lesson.phase == LONG_TERM_PHASE) | Lesson.themes.contains(f'"{COMMEMORATION_THEME}"')))
    for lesson in collapse_query(query, current_language()):  # one version of each, the reader's language first
        if len(found.setdefault(lesson.city_id, [])) < per_city:
            found[lesson.city_id].append(lesson)
    return found


def peer_choices() -> list[City]:
    """The active member cities, by name: whom a solidarity mailing may go to."""
    return list(City.select().where(City.status == "active").order_by(City.name_key))


def suggested_peers(incident: Incident, cities: list[City], incidents: list[Incident]) -> list[City]:
    """Up to eight cities to write to: those that lived attacks like this one first, then the same region."""
    own = {f"{facet}:{key}" for facet, keys in (incident.facets or {}).items() for key in keys}
    shared: dict[int, int] = {}
    for other in incidents:
        if other.city_id == incident.city_id:
            continue
        theirs = {f"{facet}:{key}" for facet, keys in (other.facets or {}).items() for key in keys}
        shared[other.city_id] = max(shared.get(other.city_id, 0), len(own & theirs))
    region = incident.city.region
    ranked = sorted((c for c in cities if c.id != incident.city_id
                     and (shared.get(c.id) or (region and c.region == region))),
                    key=lambda c: (-shared.get(c.id, 0), c.region != region, c.name_key))
    return ranked[:MAX_SUGGESTED_PEERS]


# --- the solidarity draft ------------------------------------------------------------------------------

def _plain(text: str) -> str:
    """User text made safe for a Markdown body with merge fields: no braces, Markdown marks escaped."""
    text = " ".join((text or "").replace("{", "(").replace("}", ")").split())
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def draft_text(anniversary: Anniversary) -> tuple[str, str]:
    """Return the subject and the Markdown body of a respectful solidarity mailing for ``anniversary``."""
    city, incident = anniversary.city, anniversary.incident
    years = "one year" if anniversary.years == 1 else f"{anniversary.years} years"
    title = " ".join((incident.title or "").replace("{", "(").replace("}", ")").split())
    subject = f"Standing with {city.name}: {years} since {title}"
    if len(subject) > 200:
        subject = subject[:199].rsplit(" ", 1)[0] + "…"
    body = (
        "Dear {{ first_name }},\n\n"
        f"On {_long_date(anniversary.on)}, {_plain(city.name)} remembers “{_plain(title)}”, "
        f"{years} after the attack of {_long_date(incident.occurred_on)}.\n\n"
        f"Our thoughts are with the victims, their families and the communities who were targeted, and with "
        f"everyone in {_plain(city.name)} who has worked on the long road of recovery since.\n\n"
        f"If your city would like to send a message of solidarity to {_plain(city.name)}, or to share how you "
        "have marked anniversaries of your own, please reply to this message: we will pass it on to the "
        "city's focal point.\n\n"
        "With solidarity,\n\n"
        "The secretariat"
    )
    return subject, body


def _recipients(cities: Iterable[City]) -> list[Contact]:
    ids = [c.id for c in cities]
    if not ids:
        return []
    rank = peewee.Case(Contact.city_role, (("focal_point", 0),), 1)
    return list(Contact
                .select()
                .where(Contact.city.in_(ids), Contact.city_role.in_(RECIPIENT_ROLES), Contact.email.is_null(False),
                       Contact.erased_at.is_null())
                .order_by(Contact.city, rank, Contact.name_key))


def _list_name(anniversary: Anniversary, n: int = 1) -> str:
    # Short enough that the list's slug (60 characters) keeps the number that tells two drafts apart.
    city = anniversary.city.name[:22].strip()
    return f"Solidarity {anniversary.on.year}: {city}, {anniversary.label}" + (f" ({n})" if n > 1 else "")


def find_anniversary(user, incident_id: int, years: int) -> Anniversary:
    """The ``years``-th anniversary of an incident ``user`` may see; AnniversaryError if there is none."""
    incident = Incident.get_or_none(Incident.id == incident_id)
    if incident is None or incident.occurred_on is None or not can_view(user, incident) or years < 1:
        raise AnniversaryError(_("This anniversary is not on the calendar any more: reload the calendar and try again."))
    return Anniversary(incident, anniversary_on(incident.occurred_on, incident.occurred_on.year + years), years)


def draft_solidarity_mailing(anniversary: Anniversary, peer_city_ids: Iterable[int], *, actor):
    """Create a draft mailing to the focal points and leaders of the chosen peer cities; nothing is sent.

    The recipients go on a list of their own, made for this mailing (through the mailings feature, so an
    unsubscribe is never overridden); staff edit the draft, check it and send it themselves.
    Returns (mailing, recipients).
    """
    ids = {int(i) for i in peer_city_ids} - {anniversary.incident.city_id}
    peers = list(City.select().where(City.id.in_(list(ids)), City.status == "active")) if ids else []
    if not peers:
        raise AnniversaryError(_("Choose at least one peer city to write to."))
    recipients = _recipients(peers)
    if not recipients:
        names = ", ".join(sorted(c.name for c in peers))
        raise AnniversaryError(_("No focal point or leader of %(cities)s has an email address: add one on the "
                                 "city's contacts, or choose other peers.", cities=names))
    subject, body = draft_text(anniversary)
    description = (f"Peers chosen on the anniversaries calendar for the {anniversary.label} of "
                   f"“{anniversary.incident.title}”")[:300]
    with database.atomic():
        n = 1
        while MailingList.select().where(MailingList.name == _list_name(anniversary, n)).exists():
            n += 1
        mailing_list = mailings.create_list(_list_name(anniversary, n), description, actor)
        for contact in recipients:
            mailings.subscribe(contact, mailing_list)
        mailing = mailings.save_mailing(None, mailing_list=mailing_list, subject=subject, body=body, actor=actor)
    return mailing, recipients
