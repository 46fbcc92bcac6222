"""The time-zone picker: canonical zones grouped by country, searchable, the host city's zone by default."""

from __future__ import annotations

import shutil

import pytest

from crm.core.zones import country_zone, zone_choices
from crm.events.models import Event
from tests.events.test_events import _form
from tests.helpers import sign_in_page


def test_only_canonical_zones_grouped_by_country_with_utc_first():
    groups = zone_choices()
    assert list(groups)[0] == "UTC"
    zones = {zone for pairs in groups.values() for zone, _ in pairs}
    assert "Africa/Asmara" in zones and "Africa/Asmera" not in zones  # no old aliases
    assert "US/Eastern" not in zones and "Europe/Oslo" in zones and len(zones) < 450
    assert ("Europe/Oslo", "Oslo") in groups["Norway"]
    assert any(label.startswith("New York — Eastern") for _, label in groups["United States"])
    assert country_zone("no") == "Europe/Oslo" and country_zone("US") == "America/New_York"
    assert country_zone("ZZ") is None


def test_an_event_stored_with_an_old_alias_keeps_it_when_edited(login_as, make_event):
    staff = login_as("staff")
    assert staff.post("/events/new", data=_form(timezone="Africa/Asmera")).status_code == 400  # not offered
    event = make_event(timezone="Africa/Asmera")
    html = staff.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert '<optgroup label="Other"><option selected value="Africa/Asmera">' in html
    assert 'data-zone-by-city' not in html  # editing never changes the zone behind the user's back
    response = staff.post(f"/events/{event.id}/edit", data=_form(timezone="Africa/Asmera"))
    assert response.status_code == 302 and Event.get_by_id(event.id).timezone == "Africa/Asmera"


def test_a_new_event_offers_the_host_citys_zone(login_as, make_city):
    staff = login_as("staff")
    kyoto = make_city("Kyoto", "JP", "eastern_asia")
    html = staff.get("/events/new").get_data(as_text=True)
    assert '<optgroup label="Japan">' in html and f'&#34;{kyoto.id}&#34;: &#34;Asia/Tokyo&#34;' in html


@pytest.mark.browser
def test_search_the_zones_and_follow_the_host_city(page, make_user, make_city, tmp_path):
    make_user("staff", email="planner@example.org")
    make_city("Kyoto", "JP", "eastern_asia")
    make_city("Medellín", "CO", "south_america")
    sign_in_page(page, "planner@example.org")
    page.goto("/events/new")
    zone = page.get_by_label("Time zone", exact=True)
    page.get_by_label("Host city").select_option(label="Kyoto (JP)")
    assert zone.input_value() == "Asia/Tokyo"
    page.get_by_label("Find zones by city or country").fill("new york")
    assert zone.input_value() == "America/New_York"
    assert zone.locator("option:not([hidden])").count() == 1
    page.screenshot(path=str(tmp_path / "zone-search.png"), full_page=True)
    page.get_by_label("Host city").select_option(label="Medellín (CO)")
    assert zone.input_value() == "America/New_York"  # the user chose: the host city no longer decides
    shutil.copytree(tmp_path, "/tmp/timezone-shots", dirs_exist_ok=True)
