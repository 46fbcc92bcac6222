"""Helpers for issue-5 tests: a small network of cities, members, incidents and lessons, indexed."""

from __future__ import annotations

import datetime as dt

from crm import indexing
from crm.core.names import fold_name
from crm.db import database
from crm.incidents.seeds import facet_vocabulary
from crm.incidents.services import create_incident
from crm.lessons.seeds import response_toolkit
from crm.lessons.services import create_lesson
from crm.membership.models import City


def reference_data() -> None:
    """Load the facet vocabulary and the toolkit."""
    facet_vocabulary()
    response_toolkit()


def make_city(name, country="FR", languages=("fr", "en"), status="active", region="western_europe",
              population=300_000, expertise=()) -> City:
    """Create a member city and log it for the index."""
    with database.atomic():
        city = City.create(name=name, name_key=fold_name(name), country=country, region=region, status=status,
                           languages=list(languages), population=population, expertise=list(expertise),
                           joined_on=dt.date(2020, 1, 1))
        indexing.touch(city)
    return city


def link(user, city) -> None:
    """Make ``user`` a member user of ``city``."""
    user.city = city.id
    user.save()


def incident(city, title, summary, facets, visibility="network", occurred_on=dt.date(2019, 3, 15)):
    """Record an incident (no actor: as a seed would)."""
    return create_incident(city, {"title": title, "summary": summary, "facets": facets, "visibility": visibility,
                                  "occurred_on": occurred_on}, actor=None)


def lesson(city, title, body, *, phase="first_week", themes=("vigils_gatherings",), status="published",
           visibility="network", shared=None, incident_row=None):
    """Write a lesson directly in a status."""
    values = {"title": title, "body": body, "phase": phase, "themes": list(themes), "visibility": visibility,
              "incident": incident_row}
    if shared is not None:
        values["shared_city_ids"] = [c.id for c in shared]
    return create_lesson(city, values, actor=None, status=status)


def apply() -> None:
    """Apply the change log to the test's index (services called outside a request)."""
    assert indexing.apply_pending(wait=True) is not None


def small_network():
    """Christchurch-like, Berlin-like and a prevention-only city, plus the asking city."""
    reference_data()
    asking = make_city("Villeneuve", "FR", ["fr"])
    mosque = make_city("Harbourton", "NZ", ["en"], region="oceania")
    market = make_city("Marktstadt", "DE", ["de", "en"])
    quiet = make_city("Calmville", "CA", ["en", "fr"], region="north_america")
    incident(mosque, "Shootings at two mosques", "A gunman opened fire on worshippers at two mosques during Friday "
             "prayers. The attacker held far-right, anti-Muslim views.",
             {"attack": ["shooting"], "target": ["place_of_worship"], "motive": ["far_right", "anti_muslim"]})
    incident(market, "Truck attack on a Christmas market", "A truck was driven into a crowded Christmas market.",
             {"attack": ["vehicle_ramming"], "target": ["crowded_public_place"], "motive": ["jihadist"]})
    lesson(quiet, "Prevention programmes in schools", "Years of prevention work with youth and schools.",
           phase="preparing", themes=["youth_schools"])
    apply()
    return {"asking": asking, "mosque": mosque, "market": market, "quiet": quiet}
