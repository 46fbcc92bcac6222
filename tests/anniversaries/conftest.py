"""A small network for the anniversaries tests: incidents whose anniversaries fall 10, 45 and 90 days ahead."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from crm.anniversaries.services import anniversary_on
from crm.contacts.models import Contact
from crm.core.names import fold_name
from tests.search_integration.network import incident, lesson, make_city, reference_data

TODAY = dt.date.today()


def years_before(day: dt.date, years: int) -> dt.date:
    return anniversary_on(day, day.year - years)


@pytest.fixture
def net(app):
    reference_data()
    oslo = make_city("Oslo", "NO", ["no"], region="northern_europe")
    bergen = make_city("Bergen", "NO", ["no"], region="northern_europe")
    lyon = make_city("Lyon", "FR", ["fr"], region="western_europe")
    gone = make_city("Goneville", "FR", ["fr"], region="western_europe", status="withdrawn")

    def person(name, city, role="", email=None):
        return Contact.create(name=name, name_key=fold_name(name), email=email, city=city, city_role=role)

    people = {
        "oslo_focal": person("Kari Nordvik", oslo, "focal_point", "kari@oslo.example.org"),
        "bergen_focal": person("Bo Berg", bergen, "focal_point", "bo@bergen.example.org"),
        "bergen_mayor": person("Mia Mayor", bergen, "leader", "mia@bergen.example.org"),
        "bergen_noaddress": person("Nils Nomail", bergen, "focal_point"),
        "bergen_other": person("Otto Other", bergen, "", "otto@bergen.example.org"),
        "lyon_focal": person("Lou Lyon", lyon, "focal_point", "lou@lyon.example.org"),
    }
    facets = {"attack": ["shooting"], "target": ["place_of_worship"]}
    rows = {
        # the 10th anniversary in 10 days (network only)
        "tenth": incident(oslo, "Wombatnetwork shooting, at the mosque; evening prayers",
                          "A gunman opened fire.", facets, occurred_on=years_before(TODAY + dt.timedelta(days=10), 10)),
        # the 3rd anniversary in 45 days (public)
        "third": incident(lyon, "Quokkapublic market attack", "A van drove into the market.",
                          {"attack": ["vehicle_ramming"]}, visibility="public",
                          occurred_on=years_before(TODAY + dt.timedelta(days=45), 3)),
        # the 5th anniversary in 90 days: beyond the dashboard's 60 days, inside the calendar's year
        "fifth": incident(bergen, "Arson at the community centre", "A fire was set at night.",
                          {"attack": ["arson"]}, occurred_on=years_before(TODAY + dt.timedelta(days=90), 5)),
        "undated": incident(bergen, "Threats campaign", "Months of threats.", {}, occurred_on=None),
        "withdrawn": incident(gone, "Wombatgone bombing", "A bomb.", {},
                              occurred_on=years_before(TODAY + dt.timedelta(days=5), 2)),
    }
    lessons = {
        "memorial": lesson(oslo, "Planning the memorial with families", "How we planned it.", phase="long_term",
                           themes=["memorials_anniversaries"], incident_row=rows["tenth"]),
        "draft": lesson(oslo, "Wombatdraft anniversary notes", "Not yet published.", phase="long_term",
                        themes=["memorials_anniversaries"], status="draft"),
    }
    return SimpleNamespace(oslo=oslo, bergen=bergen, lyon=lyon, gone=gone, people=people, rows=rows, lessons=lessons)
