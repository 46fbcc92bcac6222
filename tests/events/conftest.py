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


class _FreshUserClient:
    """Wrap a test client so each request loads its own user.

    The ``app`` fixture keeps one app context open for the whole test, so ``flask.g`` (where
    flask-login caches the current user) is shared by every client of the test; without this,
    a second client would act as whoever made the first request.
    """

    def __init__(self, inner):
        self._inner = inner

    def open(self, *args, **kwargs):
        from flask import g

        g.pop("_login_user", None)
        return self._inner.open(*args, **kwargs)

    def get(self, *args, **kwargs):
        return self.open(*args, method="GET", **kwargs)

    def post(self, *args, **kwargs):
        return self.open(*args, method="POST", **kwargs)

    def __getattr__(self, name):
        return getattr(self._inner, name)


@pytest.fixture
def client(app):
    return _FreshUserClient(app.test_client())


@pytest.fixture
def login_as(app, make_user):
    """A signed-in client of a new user of ``role`` (each request loads its own user)."""
    from tests.helpers import login

    def sign_in(role, **kwargs):
        user = make_user(role, **kwargs)
        c = _FreshUserClient(app.test_client())
        response = login(c, user.email)
        assert response.status_code == 302, response.get_data(as_text=True)
        c.user = user
        return c

    return sign_in


def flush_mail():
    """Send the mail queued by services called directly in a test (requests send theirs themselves)."""
    from crm.mail import deliver_pending

    return deliver_pending()
