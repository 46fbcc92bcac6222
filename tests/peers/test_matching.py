"""Peer ranking rules on small, hand-made networks, and on the demo network."""

import pytest

from crm import search
from crm.peers.matching import (
    city_document,
    documents_from_seeds,
    find_peers,
    incident_document,
    lesson_document,
)


def _city(name, languages=("en",), status="active", expertise=(), incidents=(), description=""):
    return {"id": name.lower(), "name": name, "country": "XX", "region": "western_europe",
            "languages": list(languages), "status": status, "expertise": list(expertise),
            "incidents": list(incidents), "description": description}


def _incident(title, summary, attack=(), target=(), motive=(), year="2019"):
    return {"title": title, "summary": summary, "occurred_on": f"{year}-05-01", "response": "",
            "facets": {"attack": list(attack), "target": list(target), "motive": list(motive)},
            "visibility": "network"}


def _index(tmp_path, cities, lessons=()):
    index = search.Index(str(tmp_path / "index"))
    index.rebuild(documents_from_seeds(cities, list(lessons)))
    return index


RAMMING = _incident("Truck attack on the market", "A truck was driven into the crowd at the market.",
                    ["vehicle_ramming"], ["crowded_public_place"], ["jihadist"], "2016")


def names(matches):
    return [m.city_id for m in matches]


def test_full_facet_overlap_beats_a_single_shared_facet(tmp_path):
    index = _index(tmp_path, [
        _city("Alpha", incidents=[RAMMING]),
        _city("Beta", incidents=[_incident("Shooting", "A gunman opened fire in a market.",
                                           ["shooting"], ["crowded_public_place"], ["far_right"])]),
        _city("Gamma", incidents=[_incident("Knife attack", "A man stabbed people in a school.",
                                            ["knife"], ["school_youth"], ["jihadist"])]),
    ])
    matches = find_peers(index, "A lorry ploughed into the Christmas market crowd; the attacker was an ISIS supporter.")
    assert names(matches)[0] == "alpha"
    assert set(names(matches)) == {"alpha", "beta", "gamma"}
    best = matches[0]
    assert "Vehicle ramming on a crowded public place (Alpha, 2016)" in best.reasons
    assert any(r.startswith("Shares: attack: vehicle ramming") for r in best.reasons)
    assert best.shared_facets["attack"] == ["vehicle_ramming"]
    assert "<mark>" in best.matched_docs[0].snippet
    index.close()


def test_common_words_do_not_decide(tmp_path):
    chatty = ("The city and the community supported every family after the attack; people, victims and "
              "families met the mayor. " * 6)
    index = _index(tmp_path, [
        _city("Chatty", incidents=[_incident("Shooting at a mosque", chatty + " A gunman opened fire.",
                                             ["shooting"], ["place_of_worship"], ["far_right"])]),
        _city("Exact", incidents=[RAMMING]),
    ])
    query = ("After the attack on our city the community, the families and the victims need help: "
             "a van was driven into people at the market.")
    assert names(find_peers(index, query))[0] == "exact"
    index.close()


def test_lived_experience_outranks_prevention_lessons_and_expertise(tmp_path):
    prevention = _city("Preventer", expertise=["prevention", "security_of_events"],
                       description="We run programmes to prevent vehicle ramming attacks on markets "
                                   "by jihadist groups, with bollards and crowd management.")
    lesson = {"city": "Preventer", "title": "Preventing vehicle ramming at markets", "phase": "preparing",
              "themes": ["prevention", "security_of_events"], "incident": None, "visibility": "network",
              "body": "Bollards and barriers against a truck or van driven into the Christmas market crowd "
                      "by a jihadist attacker. Vehicle ramming prevention for markets."}
    lived = _city("Survivor", incidents=[RAMMING])
    index = _index(tmp_path, [prevention, lived], [lesson])
    matches = find_peers(index, "A truck drove into the Christmas market crowd, jihadist attack.")
    assert names(matches)[:2] == ["survivor", "preventer"]
    index.close()


def test_best_passage_wins_over_a_long_profile(tmp_path):
    long_profile = " ".join(
        ["Our city has worked on vehicle safety, crowded places, markets, festivals, youth, schools, "
         "shootings in the region and prevention of extremism."] * 20)
    index = _index(tmp_path, [
        _city("Longwinded", description=long_profile, expertise=["prevention", "youth_schools"],
              incidents=[_incident("Arson", "A shed was set on fire.", ["arson"], ["shops"], ["unclear_mixed"])]),
        _city("Focused", incidents=[RAMMING]),
    ])
    assert names(find_peers(index, "van driven into the crowd at our market, jihadist"))[0] == "focused"
    index.close()


def test_asking_city_and_inactive_members_are_excluded(tmp_path):
    index = _index(tmp_path, [
        _city("Asker", incidents=[RAMMING]),
        _city("Gone", status="withdrawn", incidents=[RAMMING]),
        _city("Paused", status="suspended", incidents=[RAMMING]),
        _city("Member", incidents=[RAMMING]),
    ])
    matches = find_peers(index, "truck attack on a market", asking_city_id="asker")
    assert names(matches) == ["member"]
    index.close()


def test_hard_language_need_comes_first(tmp_path):
    index = _index(tmp_path, [
        _city("English", languages=["en"], incidents=[RAMMING]),
        _city("Francophone", languages=["fr", "en"], incidents=[
            _incident("Knife attack", "A man stabbed people at the market.", ["knife"],
                      ["crowded_public_place"], [])]),
    ])
    matches = find_peers(index, "A truck was driven into the market crowd. We need advisers who speak French.")
    assert names(matches) == ["francophone", "english"]
    assert matches[0].reasons[0] == "Speaks French" and matches[0].shared_languages == ["fr"]
    assert matches[1].needs_missed == ["fr"]
    explicit = find_peers(index, "truck attack on the market", needs=["lang_fr"])
    assert names(explicit)[0] == "francophone"
    index.close()


def test_explicit_facets_add_to_the_description(tmp_path):
    index = _index(tmp_path, [
        _city("Ram", incidents=[RAMMING]),
        _city("Shoot", incidents=[_incident("Shooting", "Shots at a school.", ["shooting"], ["school_youth"], [])]),
    ])
    matches = find_peers(index, "we need help", facets={"attack": ["shooting"], "target": ["school_youth"]})
    assert names(matches)[0] == "shoot"
    index.close()


def test_lessons_inherit_the_facets_of_their_incident():
    city = _city("Alpha", incidents=[RAMMING])
    doc = lesson_document({"title": "Reception centre", "body": "Open it fast.", "themes": ["victim_support"]},
                          city, RAMMING)
    assert "attack:vehicle_ramming" in doc["facets"] and doc["lived"]
    assert incident_document(RAMMING, city)["doc_id"].startswith("incident:alpha-")
    assert city_document(city)["doc_id"] == "city:alpha"


@pytest.mark.parametrize("text", ["", "!!!", "x" * 10000, "AND OR (((", "مسجد هجوم 攻击", "the the the"])
def test_find_peers_never_raises(tmp_path, text):
    index = _index(tmp_path, [_city("Alpha", incidents=[RAMMING])])
    assert isinstance(find_peers(index, text), list)
    index.close()


def test_cross_language_queries_find_the_same_peer(demo_index):
    for text in ["Un camion a foncé dans la foule au marché de Noël, attentat djihadiste.",
                 "Ein Lkw raste in den Weihnachtsmarkt, islamistischer Anschlag.",
                 "Un camión arrolló a la gente en el mercadillo navideño, atentado yihadista.",
                 "En lastebil kjørte inn i julemarkedet, islamistisk terror."]:
        top = names(find_peers(demo_index, text, limit=3))
        assert "berlin" in top, (text, top)


def test_snippets_escape_html(tmp_path):
    incident = _incident("Truck attack", "<script>alert(1)</script> A truck was driven into the market crowd.",
                         ["vehicle_ramming"], ["crowded_public_place"], [])
    index = _index(tmp_path, [_city("Alpha", incidents=[incident])])
    snippet = find_peers(index, "truck attack at the market")[0].matched_docs[0].snippet
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet and "<mark>truck</mark>" in snippet
    index.close()


def test_the_same_setting_breaks_a_tie_between_equally_similar_attacks(tmp_path):
    promenade = _city("Amberside", incidents=[_incident(
        "Truck attack on the promenade", "A truck was driven into the crowd on the seafront promenade.",
        ["vehicle_ramming"], ["crowded_public_place"], ["jihadist"], "2016")])
    market = _city("Weihnachtsdorf", incidents=[_incident(
        "Truck attack on the Christmas market", "A truck was driven into the crowd at the Christmas market.",
        ["vehicle_ramming"], ["crowded_public_place"], ["jihadist"], "2016")])
    prevention = _city("Planville", expertise=["prevention"], description="We protect our Christmas market.")
    index = _index(tmp_path, [promenade, market, prevention])
    for text in ("Un camion a foncé dans la foule du marché de Noël, attentat djihadiste.",
                 "Ein Lkw ist in den Weihnachtsmarkt gerast, ein islamistischer Anschlag.",
                 "A lorry drove into the Christmas market crowd; an Islamist attack."):
        matches = find_peers(index, text)
        assert names(matches)[:2] == ["weihnachtsdorf", "amberside"], text
        assert "Same setting: Christmas market" in matches[0].reasons
        assert not any(r.startswith("Same setting") for r in matches[1].reasons)
        assert "planville" not in names(matches)[:2]


def test_reasons_name_what_matched_in_the_words_people_use(tmp_path):
    club = _city("Clubtown", incidents=[_incident(
        "Shooting at a nightclub during Pride", "A gunman opened fire in a gay nightclub during a concert night.",
        ["shooting"], ["concert_arena", "lgbtq_venue"], ["anti_lgbtq"], "2016")])
    mosque = _city("Mosqueton", incidents=[_incident(
        "Arson at the mosque", "The mosque was set on fire at night.", ["arson"], ["place_of_worship"],
        ["anti_muslim"], "2017")])
    index = _index(tmp_path, [club, mosque])
    reasons = find_peers(index, "Shooting outside an LGBTQ+ bar tonight, several dead.")[0].reasons
    assert reasons[0] == "Shooting at an LGBTQ+ venue (Clubtown, 2016)"
    assert "target: LGBTQ+ venue" in reasons[1]
    reasons = find_peers(index, "Anti-Muslim arson at our mosque last night.")[0].reasons
    assert "motive: anti-Muslim" in reasons[1]


def test_a_neighbouring_motive_counts_for_part(tmp_path):
    near = _city("Zedham", incidents=[_incident(
        "Arson at the mosque", "The mosque was set on fire at night.", ["arson"], ["place_of_worship"],
        ["anti_muslim"], "2017")])
    unrelated = _city("Abbeyville", incidents=[_incident(
        "Arson at the mosque", "The mosque was set on fire at night.", ["arson"], ["place_of_worship"],
        ["unclear_mixed"], "2017")])
    index = _index(tmp_path, [near, unrelated])
    matches = find_peers(index, "A racist set fire to our mosque; he hates foreigners.")
    assert names(matches) == ["zedham", "abbeyville"]
    assert not any("anti-Muslim" in reason for reason in matches[0].reasons)  # a neighbour is not "shared"


def test_facets_are_dimensions_two_kinds_of_attack_do_not_outweigh_a_shared_motive(tmp_path):
    both_kinds = _city("Alphaville", incidents=[_incident(
        "Bomb and shooting", "A bomb exploded, then gunmen opened fire.", ["bombing", "shooting"],
        ["crowded_public_place"], ["jihadist"], "2015")])
    same_motive = _city("Zuluburg", incidents=[_incident(
        "Far-right shooting", "A far-right extremist opened fire on passers-by.", ["shooting"],
        ["crowded_public_place"], ["far_right"], "2019")])
    index = _index(tmp_path, [both_kinds, same_motive])
    matches = find_peers(index, "A far-right extremist set off a bomb in the square and then opened fire on people.")
    assert names(matches) == ["zuluburg", "alphaville"]


@pytest.mark.parametrize("text", [
    "attack",  # every lived incident ties: the tie-break must not depend on how many cities are asked for
    "Angriff",
    "A truck was driven into the Christmas market crowd by an Islamist.",
    "Riots followed rumours about the attacker's origin; we need a city that speaks French.",
])
def test_the_first_cities_do_not_depend_on_the_limit(demo_index, text):
    ten = names(find_peers(demo_index, text, limit=10))
    for limit in (1, 3, 5):
        assert names(find_peers(demo_index, text, limit=limit)) == ten[:limit], (limit, text)
