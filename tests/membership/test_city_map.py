"""The map of member cities: coordinates from the offline gazetteer, a server-drawn SVG, public cities only."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import peewee
import pytest

import crm
from crm.core import gazetteer
from crm.db import database, router
from crm.membership.citymap import city_map
from crm.membership.models import City
from tests.conftest import BACKENDS, scratch_database

SVG = "{http://www.w3.org/2000/svg}"


def test_the_gazetteer_finds_a_city_by_its_folded_name_without_authority_words_and_by_other_names():
    medellin = gazetteer.locate("Medellín", "CO")
    assert medellin is not None and abs(medellin.latitude - 6.25) < 0.1 and abs(medellin.longitude + 75.57) < 0.1
    assert gazetteer.locate("city of MEDELLIN", "co") == medellin
    assert gazetteer.locate("Trollhattan", "SE") == gazetteer.locate("Trollhättan", "SE") is not None
    cologne = gazetteer.locate("Cologne", "DE")  # an English name of Köln
    assert cologne == gazetteer.locate("Köln", "DE") and abs(cologne.latitude - 50.94) < 0.1
    # The same name in another country is another place; an unknown one is None.
    assert gazetteer.locate("Medellín", "ES") != medellin
    assert gazetteer.locate("Nowhereville", "CO") is None and gazetteer.locate("", "CO") is None
    assert gazetteer.locate("Medellín", "") is None


def test_a_city_is_placed_when_created_and_again_when_renamed(make_city):
    city = make_city("Christchurch", country="NZ")
    assert round(city.latitude) == -44 and round(city.longitude) == 173
    stored = City.get_by_id(city.id)
    assert (stored.latitude, stored.longitude) == (city.latitude, city.longitude)
    stored.name = "Dunedin"
    stored.save()
    assert round(City.get_by_id(city.id).latitude) == -46
    stored.name = "Nowhereville"
    stored.save()
    assert City.get_by_id(city.id).latitude is None
    given = make_city("Hanau", country="DE", latitude=1.5, longitude=2.5)  # coordinates given are kept
    assert (City.get_by_id(given.id).latitude, City.get_by_id(given.id).longitude) == (1.5, 2.5)


def test_a_save_that_keeps_the_name_and_country_looks_nothing_up(make_city, monkeypatch):
    unknown = City.get_by_id(make_city("Nowhereville").id)
    monkeypatch.setattr(gazetteer, "locate", lambda *args: pytest.fail("looked up again"))
    unknown.status = "suspended"
    unknown.save()
    assert City.get_by_id(unknown.id).latitude is None


def test_the_map_places_cities_with_coordinates_and_lists_the_others(make_city):
    oslo, nowhere = make_city("Oslo"), make_city("Nowhereville")
    result = city_map(City.select().where(City.id.in_([oslo.id, nowhere.id])))
    assert [(d.city_id, d.x, d.y) for d in result.dots] == [(oslo.id, round(oslo.longitude, 2),
                                                             round(-oslo.latitude, 2))]
    assert result.unplaced == [(nowhere.id, "Nowhereville", "NO")]


def _dots(html: str) -> dict[str, str]:
    """Parse the map's SVG (it must be well-formed XML); return each dot's link → its <title>."""
    svg = re.search(r"<svg .*?</svg>", html, re.S).group(0)
    root = ET.fromstring(svg)
    dots = {}
    for link in root.iter(f"{SVG}a"):
        circle = link.find(f"{SVG}circle")
        dots[link.get("href")] = circle.find(f"{SVG}title").text
        assert link.get("aria-label") == dots[link.get("href")]
    assert root.find(f"{SVG}title").text.startswith("Map of ")
    return dots


def test_the_public_directory_maps_only_publicly_listed_cities(client, make_city):
    oslo, bergen = make_city("Oslo"), make_city("Bergen")
    hidden = make_city("Tromsø", status="suspended")
    gone = make_city("Stavanger", status="withdrawn")
    unknown = make_city("Nowhereville")
    html = client.get("/members/").get_data(as_text=True)
    assert _dots(html) == {f"/members/{oslo.id}": "Oslo, Norway", f"/members/{bergen.id}": "Bergen, Norway"}
    assert hidden.latitude is not None and gone.latitude is not None  # placed, but not public
    for private in ("Tromsø", "Stavanger"):
        assert private not in html
    # The text list has every city the map shows, and says which one is not on it.
    listing = re.search(r'<ul data-testid="city-map-list">(.*?)</ul>', html, re.S).group(1)
    assert f'<a href="/members/{bergen.id}">Bergen</a>' in listing
    assert f'<a href="/members/{oslo.id}">Oslo</a>' in listing
    assert re.search(rf'<a href="/members/{unknown.id}">Nowhereville</a>, Norway <span class="muted">\(not on the map\)',
                     listing)
    assert "2 member cities on the map. 1 more is not on it" in " ".join(html.split())
    # The map follows the directory's filters.
    assert _dots(client.get("/members/?q=berg").get_data(as_text=True)) == {
        f"/members/{bergen.id}": "Bergen, Norway"}


@pytest.fixture(params=BACKENDS)
def empty_database(request, tmp_path):
    with scratch_database(request.param, tmp_path, "crm_map") as db:
        yield db


def test_migration_022_places_the_cities_already_there(empty_database):
    previous = database.obj
    database.initialize(empty_database)
    try:
        with empty_database.connection_context():
            router(empty_database).run()
            while "022_city_coordinates" in router(empty_database).done:
                router(empty_database).rollback()
            city = peewee.Table("city").bind(empty_database)
            for name, country in (("Medellín", "CO"), ("Nowhereville", "CO")):
                city.insert(name=name, name_key=name.lower(), country=country, region="", level="city",
                            website="", languages="[]", expertise="[]", status="active",
                            focal_point_available=True, created_at="2026-01-01 00:00:00",
                            updated_at="2026-01-01 00:00:00").execute()
            router(empty_database).run()
            rows = dict(empty_database.execute_sql("SELECT name, latitude FROM city").fetchall())
            assert round(rows["Medellín"]) == 6 and rows["Nowhereville"] is None
    finally:
        database.initialize(previous)


def test_the_land_outline_is_a_well_formed_svg_in_degrees():
    root = ET.parse(Path(crm.__file__).parent / "static" / "map" / "world-110m.svg").getroot()
    assert root.get("viewBox") == "-180 -90 360 180"
    path = root.find(f"{SVG}path").get("d")
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path)]
    assert len(numbers) > 5000 and max(abs(n) for n in numbers) <= 180


def test_approved_and_imported_cities_are_placed(client, login_as, form_data):
    from crm.membership.imports import check_cities, import_cities
    from crm.membership.models import Application

    assert client.post("/apply", data=form_data(authority_name="City of Malmö", country="SE")).status_code == 302
    staff = login_as("staff")
    application = Application.get()
    assert staff.post(f"/applications/{application.id}/approve", data={"note": ""}).status_code == 302
    malmo = City.get(City.name == "City of Malmö")
    assert (round(malmo.latitude), round(malmo.longitude)) == (56, 13)
    import_cities(check_cities("name,country\nTrondheim,NO\nNowhereville,NO\n"), mode="update")
    trondheim, nowhere = City.get(City.name == "Trondheim"), City.get(City.name == "Nowhereville")
    assert (round(trondheim.latitude), round(trondheim.longitude)) == (63, 10) and nowhere.latitude is None
