"""The search seam's contract, run against every backend: Whoosh (the default) and the in-memory one.

A backend that passes these can replace Whoosh without touching crm.peers or the features. The last
tests compare crm.search's fast posting reader with Whoosh's public API on a real index.
"""

import json
import logging
from pathlib import Path

import pytest

from crm import search, search_backend
from crm.peers.matching import documents_from_seeds, find_peers
from crm.search_backend import Filter, SearchBackend
from tests.helpers import search_doc

BACKENDS = ["whoosh", "memory"]
SEEDS = Path(__file__).resolve().parent.parent / "seeds" / "demo"


@pytest.fixture(params=BACKENDS)
def backend(request, tmp_path) -> SearchBackend:
    ix = search_backend.open_index(str(tmp_path / "index"), request.param)
    yield ix
    ix.close()


def test_a_backend_starts_unbuilt_and_empty(backend):
    assert backend.last_change_id() is None  # crm.indexing reads this as "unbuilt": rebuild it
    assert not backend.missing()
    assert backend.doc_count() == 0 and backend.stamps() == {}
    assert backend.search("anything").total == 0
    assert backend.score_terms([("facets", "attack:vehicle_ramming", 1.0, False)]) == []
    assert backend.score_terms([("facets", "attack:vehicle_ramming", 1.0, False)],
                               {"visibility": ["network"], "kinds": ["city"], "exclude_city_ids": ["1"]}) == []
    assert backend.search("", {"visibility": ["network"], "kinds": ["city"]}).total == 0
    backend.rebuild([], last_change_id=0)  # a database with no searchable record yet
    assert backend.score_terms([("facets", "attack:vehicle_ramming", 1.0, False)], {"visibility": ["network"]}) == []


def test_documents_come_back_as_plain_values(backend):
    backend.update_documents([search_doc(1, allowed_city_ids=[7, "8"], themes=["Victim Support"], note="kept")])
    doc = backend.get("incident:1")
    assert doc["facets"] == ["attack:vehicle_ramming", "target:crowded_public_place"]
    assert doc["languages"] == ["en", "fr"] and doc["allowed_city_ids"] == ["7", "8"]
    assert doc["themes"] == ["victim_support"] and doc["mentions"] == []
    assert doc["city_id"] == "1" and doc["kind"] == "incident" and doc["meta"] == {"note": "kept"}
    hit = backend.search("lorry").hits[0]
    assert hit.fields["languages"] == ["en", "fr"] and hit.doc_id == "incident:1"
    assert backend.get("incident:2") is None


def test_updating_replaces_and_deleting_removes(backend):
    backend.update_documents([search_doc(1), search_doc(2)])
    backend.update_documents([search_doc(1, body="Completely different words about a knife.", stamp="v9")])
    assert backend.doc_count() == 2
    assert backend.stamps() == {"incident:1": "v9", "incident:2": "v2"}
    assert [h.doc_id for h in backend.search("knife").hits] == ["incident:1"]
    assert [h.doc_id for h in backend.search("lorry").hits] == ["incident:2"]
    backend.delete_documents(["incident:1", "incident:404"])
    assert backend.stamps() == {"incident:2": "v2"}
    assert backend.search("knife").total == 0
    # Frequencies are IDF estimates: an engine may count replaced or deleted documents until it merges.
    assert backend.doc_frequencies("facets", ["attack:vehicle_ramming", "nope"])["nope"] == 0
    assert backend.doc_frequencies("facets", ["attack:vehicle_ramming"])["attack:vehicle_ramming"] >= 1


def test_search_ranks_matches_marks_snippets_and_counts_facets(backend):
    backend.update_documents([search_doc(1), search_doc(2, kind="lesson", city="2", region="north_america", languages=["en"],
                                           body="Vigils after the shooting needed security.")])
    found = backend.search("lorries driven market")
    assert [h.doc_id for h in found.hits] == ["incident:1"] and "<mark>" in found.hits[0].snippet
    everything = backend.search("", facets=("kind", "region", "languages"))
    assert everything.total == 2
    assert everything.facets == {"kind": {"incident": 1, "lesson": 1},
                                 "region": {"western_europe": 1, "north_america": 1},
                                 "languages": {"en": 2, "fr": 1}}
    paged = backend.search("", page=2, pagelen=1)
    assert paged.total == 2 and len(paged.hits) == 1


@pytest.mark.parametrize("filters, expected", [
    ({"kinds": ["lesson"]}, {"lesson:2"}),
    ({"region": "north_america"}, {"lesson:2"}),
    ({"languages": ["FR"]}, {"incident:1", "contact:3"}),
    ({"exclude_city_ids": ["1"]}, {"lesson:2", "contact:3"}),
    ({"visibility": ["network", "public"]}, {"incident:1"}),
    ({"visibility": ["network"], "viewer_city_id": "7"}, {"incident:1", "lesson:2"}),
    ({"viewer_city_id": "7"}, {"lesson:2"}),
    ({"kinds": ["incident", "lesson"], "visibility": ["network"], "exclude_city_ids": ["1"]}, set()),
    (Filter((("kind", frozenset({"contact"})),)), {"contact:3"}),
    # Filters that allow nothing return nothing (never "no filter").
    ({"kinds": []}, set()),
    ({"visibility": []}, set()),
    ({"languages": [], "kinds": ["incident"]}, set()),
])
def test_filters_allow_exactly_what_they_name(backend, filters, expected):
    backend.update_documents([
        search_doc(1, city="1"),
        search_doc(2, kind="lesson", city="2", region="north_america", languages=["en"], visibility="restricted",
             allowed_city_ids=["7"]),
        search_doc(3, kind="contact", city="3", visibility="staff"),
    ])
    assert {h.doc_id for h in backend.search("market", filters).hits} == expected
    assert backend.search("market", filters).total == len(expected)
    scored = backend.score_terms([("facets", "attack:vehicle_ramming", 1.0, False)], filters)
    assert {h.doc_id for h in scored} == expected
    assert Filter.of(filters).allows_nothing == (filters in ({"kinds": []}, {"visibility": []})
                                                 or filters == {"languages": [], "kinds": ["incident"]})


def test_unknown_filter_names_are_refused(backend):
    with pytest.raises(ValueError, match="unknown search filter"):
        backend.search("market", {"kindz": ["incident"]})


def test_score_terms_sums_boosts_weighs_rare_terms_and_reports_groups(backend):
    backend.update_documents([
        search_doc(1, facets=["attack:vehicle_ramming", "target:market"]),
        search_doc(2, facets=["attack:vehicle_ramming"]),
        search_doc(3, facets=["attack:vehicle_ramming", "target:market", "motive:jihadist"]),
        search_doc(4, facets=["attack:knife"]),
    ])
    clauses = [("facets", "attack:vehicle_ramming", 1.0, False, "attack"),
               ("facets", "target:market", 2.0, False, "target"),
               ("facets", "motive:jihadist", 0.5, False, "motive"),
               ("facets", "", 9.0, False), ("no_such_field", "x", 9.0, False)]
    hits = backend.score_terms(clauses)
    assert [(h.doc_id, h.score) for h in hits] == [("incident:3", 3.5), ("incident:1", 3.0), ("incident:2", 1.0)]
    assert hits[0].parts == {"attack": 1.0, "target": 2.0, "motive": 0.5}
    assert hits[2].parts == {"attack": 1.0, "target": 0.0, "motive": 0.0}
    assert hits[0].fields["facets"] == ["attack:vehicle_ramming", "target:market", "motive:jihadist"]
    assert [h.doc_id for h in backend.score_terms(clauses, limit=1)] == ["incident:3"]
    # With IDF a rare term outweighs a common one of the same boost; max_postings skips common ones.
    rare = backend.score_terms([("facets", "attack:knife", 1.0, True), ("facets", "attack:vehicle_ramming", 1.0, True)])
    assert rare[0].doc_id == "incident:4" and rare[0].score > rare[1].score
    capped = backend.score_terms([("facets", "attack:vehicle_ramming", 1.0, True)], max_postings=2)
    assert capped == []
    # Analysed terms score on their field: the backend's analyser names them.
    terms = backend.analyse("body", "Lorries driven")
    assert terms and {h.doc_id for h in backend.score_terms([("body", t, 1.0, False) for t in terms])} == \
        {"incident:1", "incident:2", "incident:3", "incident:4"}


def test_try_apply_records_the_watermark_and_refuses_unknown_changes(backend):
    assert backend.try_apply([("upsert", search_doc(1)), ("upsert", search_doc(2)), ("delete", "incident:1")], change_id=5)
    assert backend.last_change_id() == 5 and backend.stamps() == {"incident:2": "v2"}
    with pytest.raises(ValueError, match="unknown index change"):
        backend.try_apply([("upsert", search_doc(3)), ("rename", "incident:2")], change_id=6)
    assert backend.last_change_id() == 5 and backend.stamps() == {"incident:2": "v2"}  # nothing committed


def test_rebuild_swaps_everything_in_at_once(backend):
    backend.update_documents([search_doc(1), search_doc(2)])
    seen = []
    assert backend.rebuild([search_doc(3), search_doc(4)], progress=seen.append, last_change_id=42) == 2
    assert backend.stamps() == {"incident:3": "v3", "incident:4": "v4"}
    assert backend.last_change_id() == 42 and seen[-1] == 2


def test_the_apply_lock_is_held_by_one_at_a_time(backend):
    with backend.apply_lock() as held:
        assert held is True
        with backend.apply_lock() as second:
            assert second is False
    with backend.apply_lock(wait=True) as again:
        assert again is True


def test_peers_rank_the_demo_network_alike_on_every_backend(tmp_path):
    """find_peers (crm.peers) runs unchanged on both backends, and both put the same cities first."""
    cities = json.loads((SEEDS / "cities.json").read_text(encoding="utf-8"))
    lessons = json.loads((SEEDS / "lessons.json").read_text(encoding="utf-8"))
    docs = list(documents_from_seeds(cities, lessons, with_contacts=True))
    rankings = {}
    for engine in BACKENDS:
        ix = search_backend.open_index(str(tmp_path / engine), engine)
        ix.rebuild(docs)
        rankings[engine] = [
            [m.city_id for m in find_peers(ix, text, limit=3)]
            for text in ("A lorry was driven into the crowd at the Christmas market.",
                         "Un homme armé d'un couteau a attaqué des passants près de la gare.",
                         "We need a city that ran a victims' fund after a shooting.")]
        ix.close()
    assert all(rankings["whoosh"]), rankings
    assert rankings["memory"] == rankings["whoosh"]


def test_the_app_indexes_and_finds_peers_through_another_backend(app_config, tmp_path):
    """With SEARCH_BACKEND = "memory" the features' change log, crm import, crm search check and crm peers
    all work unchanged: nothing outside the backends knows which engine answers."""
    from crm import create_app

    app_config["SEARCH_BACKEND"] = "memory"
    app = create_app(app_config)
    (tmp_path / "cities.csv").write_text(
        "name,country,region,population,languages,expertise,incident_summary\n"
        "Marseille,FR,western_europe,870000,fr;en,victim_support,A van drove into the crowd at the market.\n"
        "Oslo,NO,northern_europe,700000,no;en,crisis_communication,A bomb exploded in the government quarter.\n",
        encoding="utf-8")
    runner = app.test_cli_runner()
    imported = runner.invoke(args=["import", "cities", str(tmp_path / "cities.csv")])
    assert imported.exit_code == 0 and "2 created" in imported.output, imported.output
    memory = search_backend.open_index(app_config["INDEX_DIR"], "memory")
    assert sum(kind == "city" for kind in (doc_id.split(":")[0] for doc_id in memory.stamps())) >= 2
    assert memory.last_change_id() is not None
    check = runner.invoke(args=["search", "check"])
    assert check.exit_code == 0 and "missing: 0" in check.output, check.output
    peers = runner.invoke(args=["peers", "--json", "Une camionnette a foncé dans la foule du marché"])
    assert peers.exit_code == 0, peers.output
    assert json.loads(peers.output)[0]["city"] == "Marseille"
    assert not (tmp_path / "index").exists() or not any((tmp_path / "index").glob("gen-*"))  # Whoosh unused


# -- the Whoosh backend's fast posting reader -----------------------------------------------------------

@pytest.fixture
def segmented(tmp_path):
    """A real Whoosh index of several segments, with deleted documents in old and new segments."""
    ix = search.Index(str(tmp_path / "index"))
    for batch in range(4):
        ix.update_documents([search_doc(batch * 50 + n, city=str(n % 7),
                                  facets=[f"attack:a{n % 3}", f"target:t{n % 5}"],
                                  mentions=[f"topic:m{(n + batch) % 4}"]) for n in range(50)])
        ix.delete_documents([f"incident:{batch * 50 + n}" for n in range(0, 50, 6)])
    ix.update_documents([search_doc(n, facets=["attack:a9"]) for n in range(10, 20)])  # replaced: old versions deleted
    yield ix
    ix.close()


def _all_terms(ix):
    reader = ix.searcher().reader()
    return [(field, term) for field in ("facets", "mentions", "city_id", "kind")
            for term in reader.lexicon(field)]


def test_the_fast_posting_reader_agrees_with_whoosh_public_api(segmented):
    reader = segmented.searcher().reader()
    assert len(list(reader.leaf_readers())) > 1 and reader.has_deletions()
    terms = _all_terms(segmented)
    assert len(terms) > 10
    for field, term in terms:
        term = term.decode() if isinstance(term, bytes) else term
        fast = search._posting_ids_fast(reader, field, term)
        public = search._posting_ids_public(reader, field, term)
        assert sorted(fast) == sorted(public), (field, term)
        assert all(not reader.is_deleted(d) for d in fast)
    assert search._posting_ids_public(reader, "facets", "attack:none") == []


def test_changed_whoosh_internals_fall_back_to_the_public_api_logged_once(segmented, monkeypatch, caplog):
    from whoosh.codec.whoosh3 import W3LeafMatcher

    clauses = [("facets", f"attack:a{n}", 1.0, True) for n in (0, 1, 2, 9)] + [("mentions", "topic:m1", 0.5, False)]
    expected = [(h.doc_id, h.score) for h in segmented.score_terms(clauses, limit=500)]
    monkeypatch.setattr(search, "_FAST_POSTINGS", True)
    # As if a Whoosh release renamed the private _next_block: its public next() uses the new name.
    advance = W3LeafMatcher._next_block

    def renamed_next(self):
        self._i += 1
        if self._i == self._blocklength:
            advance(self)
            return True
        return False

    monkeypatch.setattr(W3LeafMatcher, "next", renamed_next)
    monkeypatch.delattr(W3LeafMatcher, "_next_block")
    with caplog.at_level(logging.WARNING, logger="crm.search"):
        first = [(h.doc_id, h.score) for h in segmented.score_terms(clauses, limit=500)]
        second = [(h.doc_id, h.score) for h in segmented.score_terms(clauses, limit=500)]
    assert first == expected and second == expected
    assert search._FAST_POSTINGS is False
    warnings = [r for r in caplog.records if "public API" in r.getMessage()]
    assert len(warnings) == 1
