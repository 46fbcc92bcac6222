"""Fixtures of the events tests: cities, contacts and events made in one line."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from crm.db import utcnow

_seq = itertools.count(1)


@pytest.fixture
def make_city(app):
    from crm.membership.models import City

    def make(name="Oslo", country="NO", region="northern_europe"):
        return City.create(name=name, name_key=name.lower(), country=country, region=region)

    return make


@pytest.fixture
def make_contact(app):
    from crm.contacts.models import Contact

    def make(name=None, email="auto", **kwargs):
        n = next(_seq)
        if email == "auto":
            email = f"person{n}@example.org"
        return Contact.create(name=name or f"Person {n}", email=email, **kwargs)

    return make


@pytest.fixture
def make_event(app):
    """Create an event: published, starting in ten days, for a day, with ``capacity`` seats."""
    from crm.events.models import Event

    def make(title="Workshop on responding to hate", capacity=10, status="published", visibility="members",
             starts_in=dt.timedelta(days=10), hours=8, **kwargs):
        start = (utcnow() + starts_in).replace(microsecond=0)
        return Event.create(title=title, kind=kwargs.pop("kind", "workshop"), timezone=kwargs.pop("timezone", "Europe/Oslo"),
                            starts_at=start, ends_at=start + dt.timedelta(hours=hours), capacity=capacity,
                            status=status, visibility=visibility, **kwargs)

    return make


def reload(obj):
    return type(obj).get_by_id(obj.id)


def flush_mail():
    """Send the mail queued by services called directly in a test (requests send theirs themselves)."""
    from crm.mail import deliver_pending

    return deliver_pending()
