"""Reasons are always true: over the whole demo network, a reason names only facets of the record it cites.

The truth comes from the seed records themselves (an incident's recorded facets, a lesson's themes and its
incident's facets, a city's expertise), never from the index the ranking read.
"""

import json
from pathlib import Path

import pytest

from crm.peers.concepts import load_vocabulary
from crm.peers.matching import CORE_FACETS, TARGET_PHRASES, city_slug, find_peers, incident_doc_id

EVAL = json.loads((Path(__file__).parent / "eval_set.json").read_text(encoding="utf-8"))
SHOWN = CORE_FACETS + ("aftermath", "theme", "detail")


def _truth(cities, lessons):
    """Return {doc_id: set of "facet:key" the record states}, built from the seeds alone."""
    vocab = load_vocabulary()
    details = [c for c in vocab.keys("detail")]
    truth, incidents = {}, {}
    for city in cities:
        truth[f"city:{city_slug(city['name'])}"] = {f"theme:{k}" for k in city.get("expertise") or ()}
        for incident in city.get("incidents") or ():
            stated = {f"{facet}:{k}" for facet, keys in incident["facets"].items() for k in keys}
            # a detail of the setting must be named in the incident's own account of the attack
            account = f"{incident['title']}. {incident.get('summary') or ''}"
            stated |= {c for _, _, c in vocab.find(account, details, vocab.languages)}
            doc_id = incident_doc_id(incident, city)
            truth[doc_id] = stated
            incidents[(city["name"], incident["title"])] = stated
    for lesson in lessons:
        city = next(c for c in cities if c["name"] == lesson["city"])
        lesson_id = f"lesson:{city_slug(city['name'])}-{city_slug(lesson['title'])}"
        stated = {f"theme:{k}" for k in lesson.get("themes") or ()}
        linked = incidents.get((city["name"], lesson.get("incident")), set())
        truth[lesson_id] = stated | {c for c in linked if not c.startswith("detail:")}
    return truth


def _queries():
    vocab = load_vocabulary()
    labels = sorted({vocab.label(c) for c in vocab.keys() if c.split(":", 1)[0] in SHOWN})
    return labels + [f"an attack on a {label.lower()}" for label in labels[:12]] + [q["text"] for q in EVAL["queries"]]


def _named(reason: str, vocab) -> set[str]:
    """Return the concepts a reason's words name, read back from the sentence as a user reads it."""
    named = set()
    for concept in vocab.keys():
        facet, key = concept.split(":", 1)
        if facet not in SHOWN:
            continue
        label = vocab.label(concept)
        low = label[:1].lower() + label[1:]
        if reason.startswith("Shares: ") and any(f"{facet}: {form}" in reason for form in (label, low)):
            named.add(concept)
        elif reason.startswith("Same setting: ") and facet == "detail" and label in reason:
            named.add(concept)
        elif reason.startswith(("Lessons on: ", "Expertise in: ")) and facet == "theme" and label in reason:
            named.add(concept)
        elif "(" in reason and not reason.startswith(("Shares", "Same", "Lessons", "Expertise", "Lesson:")):
            head = reason.rsplit(" (", 1)[0]
            if facet == "attack" and head.lower().startswith(low.lower()) or facet == "attack" \
                    and f" and {low.lower()}" in head.lower():
                named.add(concept)
            if facet == "target" and TARGET_PHRASES.get(key) and head.endswith(TARGET_PHRASES[key]):
                named.add(concept)
    return named


@pytest.mark.parametrize("part", range(4))
def test_no_reason_names_a_facet_absent_from_the_record_it_cites(demo_index, demo_seeds, part):
    cities, lessons = demo_seeds
    truth = _truth(cities, lessons)
    vocab = load_vocabulary()
    queries = _queries()
    checked = 0
    for query in queries[part::4]:
        for match in find_peers(demo_index, query, limit=8):
            assert len(match.grounds) == len(match.reasons)
            cited_docs = set()
            for ground in match.grounds:
                reason = ground["reason"]
                for concept, doc_id in ground["facets"].items():
                    assert doc_id.split(":", 1)[1].startswith(match.city_id), (query, reason, doc_id)
                    assert concept in truth[doc_id], (
                        f"{query!r}: {match.city_name} says {reason!r}, but {doc_id} does not state {concept}")
                    cited_docs.add(doc_id)
                    checked += 1
                cited_docs |= set(ground.get("told", {}).values())  # a need told of in a record's words
                # what the words say is what the grounds hold (no label slips in unproven)
                for concept in _named(reason, vocab) - set(ground["facets"]):
                    pytest.fail(f"{query!r}: {match.city_name} says {reason!r}: {concept} is not grounded")
            if cited_docs and match.matched_docs:
                # the highlighted passage comes from a record the reasons cite
                assert match.matched_docs[0].doc_id in cited_docs, (query, match.city_name)
    assert checked > 50


def test_the_known_false_reasons_are_gone(demo_index):
    def reasons(query, city):
        return next((m.reasons for m in find_peers(demo_index, query, limit=10) if m.city_name == city), [])

    joined = " | ".join(reasons("A gunman attacked the synagogue during prayers", "Charleston"))
    assert "antisemitic" not in joined and "synagogue" not in joined.lower()
    assert "mosque" not in " | ".join(reasons("A gunman attacked a mosque during Friday prayers", "Charleston"))
    assert "jihadist" not in " | ".join(reasons("A jihadist drove a van into pedestrians", "Toronto"))
    assert "target: shops" not in " | ".join(reasons("shooting at shops", "Christchurch"))
    assert "anti-Muslim" not in " | ".join(reasons("A jihadist drove a van into a crowded boulevard", "Barcelona"))


@pytest.mark.parametrize("lang, text, expected", [
    ("it", "Un uomo armato ha aperto il fuoco in due moschee durante la preghiera del venerdì.", "Christchurch"),
    ("nl", "Een man reed met een vrachtwagen in op de drukke kerstmarkt; het was een jihadistische aanslag.",
     "Berlin"),
    ("sv", "En man körde in i folkmassan med en kapad lastbil på en gågata. Gärningsmannen var jihadist.",
     "Barcelona"),
    ("da", "En gerningsmand skød mod en synagoge under gudstjenesten. Motivet var antisemitisk.", "Pittsburgh"),
    ("pt", "Um atirador racista de extrema-direita matou imigrantes em dois cafés e numa loja.", "Hanau"),
    ("pl", "Mężczyzna wjechał ciężarówką w tłum na jarmarku bożonarodzeniowym. Sprawca był dżihadystą.", "Berlin"),
    ("tr", "Irkçı bir saldırgan iki nargile kafede göçmenlere ateş açtı ve dokuz kişiyi öldürdü.", "Hanau"),
    ("ar", "رجل مسلح أطلق النار على المصلين في مسجدين أثناء صلاة الجمعة وبث الهجوم مباشرة.", "Christchurch"),
])
def test_queries_in_the_network_s_other_languages_find_the_same_attack(demo_index, lang, text, expected):
    from crm.peers import text as T

    assert T.detect_language(text) == lang
    top = [m.city_name for m in find_peers(demo_index, text, limit=3)]
    assert expected in top, top


def test_a_language_without_words_still_answers_and_says_so(demo_index):
    matches = find_peers(demo_index, "Вооружённый человек открыл огонь в мечети во время пятничной молитвы.", limit=5)
    assert matches
    assert all(m.reasons[0].startswith("Description not understood") for m in matches)
