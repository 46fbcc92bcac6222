"""In a real browser: the public map of member cities, its dots as links with names, and no axe violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

SHOTS = "/tmp/issue11-shots"


def test_a_visitor_finds_member_cities_on_the_map_and_opens_one(page, make_city, tmp_path):
    cities = [make_city(name, country=country) for name, country in (
        ("Medellín", "CO"), ("Christchurch", "NZ"), ("Oslo", "NO"), ("Nairobi", "KE"), ("Vancouver", "CA"),
        ("Jakarta", "ID"))]
    make_city("Halle (Saale)", country="DE", status="suspended")  # not public: not on the map
    page.goto("/members/")
    page.screenshot(path=str(tmp_path / "map.png"), full_page=True)
    svg = page.get_by_test_id("city-map")
    dots = svg.locator("a")
    assert dots.count() == len(cities)
    # The map is drawn: the land outline loaded, and the dots sit where the cities are (west to east).
    assert page.evaluate("""() => { const img = document.querySelector('[data-testid=city-map] image');
                                    return img.getBBox().width > 0; }""")
    box = svg.bounding_box()
    assert box["width"] > 600 and box["height"] > 200
    xs = {a.get_attribute("aria-label").split(",")[0]: a.bounding_box()["x"] for a in dots.all()}
    assert xs["Vancouver"] < xs["Medellín"] < xs["Oslo"] < xs["Nairobi"] < xs["Jakarta"] < xs["Christchurch"]
    assert page.locator("text=Halle").count() == 0
    # Keyboard users reach the dots; each is named; following one opens the city's public profile.
    svg.get_by_role("link", name="Christchurch, New Zealand").focus()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Christchurch, New Zealand"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/members/{cities[1].id}")
    assert page.get_by_role("heading", level=1).inner_text() == "Christchurch"
    # The same cities are in the text list under the map.
    page.go_back()
    page.get_by_text("The cities on the map, as a list").click()
    assert page.get_by_test_id("city-map-list").get_by_role("link").count() == len(cities)
    results = Axe().run(page)
    serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
    page.screenshot(path=str(tmp_path / "map-list.png"), full_page=True)
    import shutil
    shutil.copytree(tmp_path, SHOTS, dirs_exist_ok=True)
