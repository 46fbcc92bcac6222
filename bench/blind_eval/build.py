"""Write cities.csv, lessons.csv, facts.json and queries.json from cities_data.py and queries_data.py.

Run `python bench/blind_eval/build.py` after editing the data; the generated files are committed so
that an outside evaluator needs nothing but them.  The tune/test split is decided here, from the ids
alone, before any result is seen.
"""

import csv
import json
from pathlib import Path

from cities_data import CITIES
from queries_data import QUERIES

HERE = Path(__file__).resolve().parent

CODES = {
    "kind": {
        "shooting": "firearms", "ramming": "a vehicle driven into people", "blade": "knife, machete, "
        "sword, axe, bow", "bombing": "explosives, suicide bombing", "arson": "fire set on purpose",
        "hostage": "hostage taking or siege", "assault": "beating without weapons",
    },
    "target": {
        "mosque": "mosque or Muslim religious centre", "synagogue": "synagogue or Jewish institution "
        "(school, museum, community centre)", "church": "church or other Christian congregation",
        "temple": "other place of worship", "school": "school, nursery or children's activity",
        "university": "university or college", "concert": "concert or concert hall",
        "nightlife": "bars, clubs, café terraces, restaurants at night", "lgbtq_venue": "LGBTQ bar, "
        "club or event", "christmas_market": "Christmas market", "public_space": "street, square, "
        "park, beach, museum crowd", "public_event": "festival, parade, marathon, public screening",
        "politician": "elected official or candidate", "migrants": "migrants, refugees, their homes",
        "shop": "shop, supermarket, mall, market stall", "transport": "train, tram, metro, airport, "
        "station", "police_military": "police officers or soldiers", "media": "journalists, "
        "artists, debate on free speech", "protest": "demonstration, rally, march", "government": "government "
        "building or official office", "hotel": "hotel", "hospital": "hospital",
        "tourist_site": "museum, beach resort, tourist attraction",
    },
    "motive": {
        "jihadist": "Islamist / jihadist", "far_right": "far-right, racist, white supremacist",
        "antisemitic": "antisemitic", "anti_muslim": "anti-Muslim", "misogynist": "misogynist, incel",
        "anti_government": "anti-government", "anti_lgbtq": "anti-LGBTQ", "unclear": "no ideology "
        "found, personal grievance or mental illness",
    },
    "needs": {
        "misinformation": "rumours, false claims, wrong culprit named", "riots": "riots or disorder "
        "after the attack", "victims_fund": "a fund for victims, compensation", "livestream": "attack "
        "filmed or broadcast live, footage circulating", "family_contact": "one point of contact for "
        "families, family assistance centre", "foreign_victims": "victims or families from abroad, "
        "consulates", "backlash": "hostility, hate crimes or blame against a community after the "
        "attack", "memorial": "memorial, place of remembrance", "vigil": "vigil, march, ceremony",
        "anniversary": "anniversaries", "psychosocial": "trauma care, counselling",
        "children": "children, pupils, schools after the attack", "community_dialogue": "interfaith "
        "or community dialogue, cohesion", "media_pressure": "press and media handling",
        "donations_volunteers": "donations, volunteers", "trial": "trial, inquiry, justice",
        "prevention": "prevention and protective security", "online_hate": "online hate, threats, "
        "radicalisation online", "security_places_of_worship": "security of places of worship",
    },
}

GRADING_RULE = (
    "Gain of a city for a query (grade.py). For each pair (query attack, city incident) count the "
    "facets the query states (kind, target, motive: a non-empty list) that share a code with the "
    "incident: m matched of s stated. Attack gain A = 3 if m = 3 or (m = s >= 2); 2 if m = 2 or "
    "(m = s = 1); 1 if m = 1; else 0; the best pair counts. Needs: n = shared codes between the "
    "query's needs and the city's needs (its incidents' aftermath and its lessons). If the query "
    "is need-led (category 'need', or no attack states 2+ facets): N = 3 if n >= 2 or (n = 1 and "
    "the query names one need), 2 if n = 1, else 0; otherwise N = 1 if n >= 1. Gain = max(A, N), "
    "raised to 3 when A = 2 and n >= 1. nDCG@5 uses (2^gain - 1) / log2(rank + 1), ideal order from "
    "all cities' gains."
)

SPLIT_RULE = (
    "Queries sorted by (category, language, id); even positions are 'tune', odd positions 'test'. "
    "Decided from the ids before any result was seen."
)


def check_codes():
    """Every code used by a city or query is in CODES (catches typos in the data)."""
    for c in CITIES:
        for inc in c["incidents"]:
            for facet in ("kind", "target", "motive"):
                assert set(inc[facet]) <= set(CODES[facet]), (c["name"], facet, inc[facet])
            assert set(inc["needs"]) <= set(CODES["needs"]), (c["name"], inc["needs"])
        for les in c["lessons"]:
            assert set(les["needs"]) <= set(CODES["needs"]), (c["name"], les["needs"])
    for q in QUERIES:
        for a in q["incidents"]:
            for facet in ("kind", "target", "motive"):
                assert set(a[facet]) <= set(CODES[facet]), (q["id"], facet, a[facet])
        assert set(q["needs"]) <= set(CODES["needs"]), (q["id"], q["needs"])
    assert len({q["id"] for q in QUERIES}) == len(QUERIES)
    assert len({(c["name"], c["country"]) for c in CITIES}) == len(CITIES)


def write_cities():
    with open(HERE / "cities.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["name", "country", "region", "population", "languages", "expertise",
                    "incident_summary"])
        for c in CITIES:
            summary = " ".join(inc["text"] for inc in c["incidents"])
            w.writerow([c["name"], c["country"], c["region"], c["population"], c["languages"],
                        c["expertise"], summary])


def write_lessons():
    with open(HERE / "lessons.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["city", "title", "phase", "themes", "body"])
        for c in CITIES:
            for les in c["lessons"]:
                w.writerow([c["name"], les["title"], les["phase"], les["themes"], les["body"]])


def write_facts():
    cities = []
    for c in CITIES:
        needs = sorted({n for inc in c["incidents"] for n in inc["needs"]}
                       | {n for les in c["lessons"] for n in les["needs"]})
        cities.append({
            "name": c["name"], "country": c["country"],
            "incidents": [{k: inc[k] for k in ("year", "kind", "target", "motive", "needs")}
                          for inc in c["incidents"]],
            "lesson_needs": [{"title": les["title"], "needs": les["needs"]} for les in c["lessons"]],
            "needs": needs,
        })
    doc = {"codes": CODES, "grading_rule": GRADING_RULE, "cities": cities}
    (HERE / "facts.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n",
                                     encoding="utf-8")


def write_queries():
    ordered = sorted(QUERIES, key=lambda q: (q["category"], q["language"], q["id"]))
    half = {q["id"]: ("tune" if i % 2 == 0 else "test") for i, q in enumerate(ordered)}
    queries = [dict(q, half=half[q["id"]], words=len(q["text"].split())) for q in QUERIES]
    doc = {"split_rule": SPLIT_RULE, "queries": queries}
    (HERE / "queries.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")


if __name__ == "__main__":
    check_codes()
    write_cities()
    write_lessons()
    write_facts()
    write_queries()
    langs = {q["language"] for q in QUERIES}
    print(f"{len(CITIES)} cities, {sum(len(c['lessons']) for c in CITIES)} lessons, "
          f"{len(QUERIES)} queries in {len(langs)} languages")
