"""Fixtures for contacts tests."""

import pytest


@pytest.fixture
def city(app):
    from crm.membership.models import City

    return City.create(name="Oslo", name_key="oslo", country="NO", region="northern_europe")


@pytest.fixture
def staff(login_as):
    return login_as("staff")


def contact_form(**overrides):
    data = {"name": "Kari Nordvik", "email": "Kari@Oslo.example.org", "position": "Adviser",
            "organisation": "City of Oslo", "sector": "city_government", "city": "", "city_role": "",
            "phone": "+47 1", "languages": ["no"], "tags": "focal point; speaker", "notes": "Met in Vienna",
            "accepts_event_invitations": "y", "accepts_network_news": "y"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def form():
    return contact_form
