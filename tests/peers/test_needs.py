"""Needs count: a description that asks about a response need ranks the cities whose lessons tell of it.

Real Whoosh indexes in tmp, built from plain city/lesson dicts through the same document builders as the
database indexer.
"""

import pytest

from crm import search
from crm.peers.concepts import extract_concepts, load_vocabulary
from crm.peers.matching import documents_from_seeds, find_peers

RAMMING = {"title": "Truck attack on the promenade", "occurred_on": "2016-07-14",
           "summary": "A jihadist drove a truck into the crowd on the promenade.",
           "facets": {"attack": ["vehicle_ramming"], "target": ["crowded_public_place"], "motive": ["jihadist"]}}
SHOOTING = {"title": "Mosque shooting", "occurred_on": "2019-03-15",
            "summary": "A far-right gunman opened fire in a mosque during Friday prayers.",
            "facets": {"attack": ["shooting"], "target": ["place_of_worship"], "motive": ["far_right"]}}


def _city(name, incidents=()):
    return {"name": name, "country": "XX", "region": "western_europe", "languages": ["en"],
            "status": "active", "incidents": list(incidents)}


@pytest.fixture
def index(tmp_path):
    cities = [_city("Fundtown", [RAMMING]), _city("Consulville", [RAMMING]), _city("Rumourton", [SHOOTING]),
              _city("Plainville", [SHOOTING])]
    lessons = [
        {"city": "Fundtown", "incident": RAMMING["title"], "title": "Share out the donations with clear rules",
         "themes": ["victim_support"], "phase": "first_months",
         "body": "Donations poured in. A victims' fund with a public board decided payouts within weeks."},
        {"city": "Consulville", "incident": RAMMING["title"], "title": "Families from many countries",
         "themes": ["family_liaison"], "phase": "first_24_hours",
         "body": "Victims of fourteen nationalities: we worked with consulates and interpreters and gave "
                 "families one point of contact."},
        {"city": "Rumourton", "incident": SHOOTING["title"], "title": "Counter rumours within the hour",
         "themes": ["misinformation"], "phase": "first_24_hours",
         "body": "False rumours about the attacker spread on social media; riots followed at the mosque."},
        {"city": "Plainville", "incident": SHOOTING["title"], "title": "Security for the Friday prayers",
         "themes": ["security_of_events"], "phase": "first_week",
         "body": "Police guarded the mosques for the weeks after the attack."},
    ]
    ix = search.Index(str(tmp_path / "index"))
    ix.rebuild(documents_from_seeds(cities, lessons))
    yield ix, lessons
    ix.close()


@pytest.mark.parametrize("text, expected", [
    ("Donations are pouring in and we are setting up a victims' fund. How do we decide who gets what?",
     "Fundtown"),
    ("Hay víctimas de doce nacionalidades; necesitamos coordinar consulados e intérpretes.", "Consulville"),
    ("Yabancı uyruklu kurbanların ailelerine ve büyükelçiliklere tek bir irtibat noktası lazım.", "Consulville"),
    ("Rumours that the attacker was a Muslim asylum seeker led to a riot outside our mosque.", "Rumourton"),
])
def test_a_need_ranks_the_city_whose_lesson_tells_of_it_first(index, text, expected):
    ix, _ = index
    matches = find_peers(ix, text, limit=4)
    assert matches and matches[0].city_name == expected, [m.city_name for m in matches]


def test_a_need_reason_cites_the_lesson_whose_words_state_it(index):
    ix, lessons = index
    vocab = load_vocabulary()
    matches = find_peers(ix, "We need one point of contact for families from many nationalities, "
                             "with consulates and interpreters.", limit=4)
    top = matches[0]
    told = [g for g in top.grounds if g.get("told")]
    assert told, top.reasons
    for ground in told:
        for concept, doc_id in ground["told"].items():
            lesson = next(lsn for lsn in lessons
                          if doc_id.endswith(lsn["title"].lower().replace(" ", "-")))
            words = f"{lesson['title']}. {lesson['body']}"
            stated = extract_concepts(words).keys() | {f"theme:{t}" for t in lesson["themes"]}
            assert concept in stated, (concept, lesson["title"])
            assert vocab.label(concept).lower()[:6] in ground["reason"].lower()
    # the highlighted passage is the lesson that tells of the need
    assert top.matched_docs[0].doc_id in told[0]["told"].values()
    assert "<mark>" in top.matched_docs[0].snippet


def test_rumoured_facts_are_not_the_attack():
    found = extract_concepts("Rumours on social media that the attacker was a Muslim asylum seeker led to a riot "
                             "outside our mosque last night.")
    assert not found.get("target") and not found.get("attack")
    assert "misinformation" in found.get("aftermath") and "riots_unrest" in found.get("aftermath")
