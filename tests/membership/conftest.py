"""Fixtures for membership tests: a valid application form, and member cities."""

import pytest


def application_form(**overrides) -> dict:
    """Return the POST data of a valid application (no login)."""
    data = {
        "authority_name": "Malmö", "level": "city", "country": "SE", "population": "357000",
        "website": "https://malmo.se", "languages": ["sv", "en"],
        "applicant_name": "Lena Ek", "applicant_position": "Head of safety",
        "applicant_email": "Lena.Ek@Malmo.example.org", "applicant_phone": "+46 40 34 10 00",
        "leader_name": "Anna Berg", "leader_position": "Mayor",
        "focal_name": "Omar Said", "focal_position": "Coordinator", "focal_email": "omar.said@malmo.example.org",
        "expertise": ["victim_support", "community_cohesion"], "expertise_other": "Football clubs",
        "incident_experience": "", "motivation": "We want to learn from peers.", "consent": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def form_data():
    return application_form


@pytest.fixture
def make_city(app):
    """Create a member city directly: ``make_city("Oslo", country="NO")``."""
    from crm.core.names import fold_name
    from crm.membership.models import City

    def make(name="Oslo", country="NO", level="city", status="active", **values):
        values.setdefault("region", "northern_europe")
        return City.create(name=name, name_key=fold_name(name), country=country, level=level, status=status,
                           **values)

    return make
