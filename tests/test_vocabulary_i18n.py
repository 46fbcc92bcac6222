"""The vocabulary in the interface's languages: labels per page language, and imports that read any of them."""

import re

import pytest

from crm import vocabulary
from crm.membership.imports import check_cities


def test_labels_follow_the_page_language_with_english_fallback(app):
    with app.test_request_context("/?lang=fr"):
        app.preprocess_request()
        assert vocabulary.regions()["western_europe"] == "Europe de l'Ouest"
        assert vocabulary.phases()["first_24_hours"] == "Premières 24 heures"
        assert vocabulary.languages()["de"] == "Allemand"  # CLDR's name, in the page's language
        assert vocabulary.language_name("de") == "allemand"
        assert vocabulary.concept_label("detail:mosque") == "mosquée"
        assert vocabulary.label("sectors", "no_such_key") == "no_such_key"
    assert vocabulary.regions("ar")["mena"] == "الشرق الأوسط وشمال أفريقيا"
    assert vocabulary.facet_labels("attack", "es")["vehicle_ramming"] == "Atropello con vehículo"
    assert vocabulary.regions("en")["western_europe"] == "Western Europe"
    assert vocabulary.languages("en")["mi"] == "Māori"  # English keeps the seed's own names
    # A caller may change what it gets without changing the cached list.
    regions = vocabulary.regions("fr")
    regions.clear()
    assert vocabulary.regions("fr")["oceania"] == "Océanie"


def test_every_item_of_the_vocabulary_has_a_label_in_each_language():
    from crm.seeding import read_json

    data = read_json("vocabulary.json")
    lists = [data[name] for name in vocabulary.KEYED_LISTS] + list(data["facets"].values())
    for items in lists:
        for item in items:
            assert set(item["labels"]) == {"fr", "es", "ar"} and all(item["labels"].values()), item["key"]
    glossary = {term["en"]: term for term in read_json("glossary.json")["terms"]}
    for item in data["phases"]:  # the phase names are the glossary's
        term = glossary[item["label"].lower()]
        for code in ("fr", "es", "ar"):
            assert item["labels"][code].lower() == term[code].lower(), (item["key"], code)


@pytest.mark.parametrize("text, key", [
    ("Western Europe", "western_europe"), ("Europe de l'Ouest", "western_europe"), ("europa occidental", "western_europe"),
    ("أوروبا الغربية", "western_europe"), ("MOYEN-ORIENT ET AFRIQUE DU NORD", "mena"), ("mena", "mena"),
])
def test_match_key_reads_labels_in_any_language(app, text, key):
    with app.test_request_context("/?lang=es"):  # whatever the page's language
        app.preprocess_request()
        assert vocabulary.match_key(vocabulary.regions(), text) == key


def test_resolvers_read_any_language():
    assert vocabulary.resolve_theme("Soutien aux victimes") == "victim_support"
    assert vocabulary.resolve_theme("apoyo psicosocial") == "psychosocial_support"
    assert vocabulary.resolve_language("allemand") == "de" and vocabulary.resolve_language("alemán") == "de"
    assert vocabulary.resolve_language("الألمانية") == "de" and vocabulary.resolve_language("German") == "de"


def test_an_import_accepts_regions_typed_in_french_spanish_and_arabic(app):
    text = ("name,country,region\n"
            "Nakuru,KE,Afrique\n"
            "Lille,FR,Europa\n"
            "Nantes,FR,Europe de l'Ouest\n"
            "Oran,DZ,الشرق الأوسط وشمال أفريقيا\n"
            "Odense,DK,Lune\n")
    with app.test_request_context("/"):
        plan = check_cities(text)
    rows = {row.values["name"]: row for row in plan.rows}
    assert rows["Nakuru"].values["region"] == "east_southern_africa" and not rows["Nakuru"].warnings
    assert rows["Lille"].values["region"] == "western_europe" and not rows["Lille"].warnings
    assert rows["Nantes"].values["region"] == "western_europe" and not rows["Nantes"].warnings
    assert rows["Oran"].values["region"] == "mena" and not rows["Oran"].warnings
    assert rows["Odense"].warnings == ["region “Lune” is not one of the network's regions: Northern Europe (from the "
                                       "country) is used"]


def test_the_public_directory_filters_by_region_in_french(client, app):
    from tests.search_integration.network import make_city

    make_city("Nantes", "FR", ["fr"], region="western_europe")
    html = client.get("/members/?lang=fr").get_data(as_text=True)
    options = dict((v, label) for v, label in re.findall(r'<option value="([a-z_]*)"[^>]*>([^<]+)</option>', html))
    assert options["western_europe"] == "Europe de l&#39;Ouest"
    assert options["mena"] == "Moyen-Orient et Afrique du Nord" and options["oceania"] == "Océanie"
    assert "<td>Europe de l&#39;Ouest</td>" in html  # the member's row too
    english = client.get("/members/?lang=en").get_data(as_text=True)
    assert '<option value="western_europe"' in english and ">Western Europe</option>" in english
