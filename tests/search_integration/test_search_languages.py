"""The search page across languages: the peer search's concepts and city exonyms find what English finds."""

import re

import pytest

from tests.search_integration.network import apply, make_city


def _titles(html):
    return re.findall(r'class="search-hit".*?<a[^>]*>(.*?)</a>', html, re.S)


@pytest.mark.parametrize("typed, english, expected", [
    ("mosquée", "mosque", "Shootings at two mosques"),
    ("Moschee", "mosque", "Shootings at two mosques"),
    ("Weihnachtsmarkt", "Christmas market", "Truck attack on a Christmas market"),
    ("mercatino di Natale", "Christmas market", "Truck attack on a Christmas market"),
])
def test_words_in_other_languages_find_what_english_finds(login_as, network, typed, english, expected):
    client = login_as("staff")
    found = client.get("/search", query_string={"q": typed}).get_data(as_text=True)
    same = client.get("/search", query_string={"q": english}).get_data(as_text=True)
    assert expected in found
    assert expected in same
    assert "0 results" not in found
    assert f'value="{typed}"' in found  # the box keeps what was typed, not the added words


@pytest.mark.parametrize("typed, city", [("Nizza", "Nice"), ("Londres", "London"), ("Kopenhagen", "Copenhagen")])
def test_common_exonyms_of_member_cities_find_them(login_as, network, typed, city):
    make_city(city, "FR", ["fr"])
    apply()
    client = login_as("staff")
    html = client.get("/search", query_string={"q": typed}).get_data(as_text=True)
    assert city in html and "0 results" not in html
