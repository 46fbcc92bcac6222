"""The search door: documents in, robust queries, facets, rebuild swap, non-blocking writers."""

import os

import pytest

from crm import search
from tests.helpers import search_doc


@pytest.fixture
def index(tmp_path):
    ix = search.Index(str(tmp_path / "index"))
    yield ix
    ix.close()


def test_creates_missing_folder_and_searches_empty(tmp_path):
    ix = search.Index(str(tmp_path / "a" / "b"))
    assert os.path.isdir(tmp_path / "a" / "b")
    assert ix.search("anything").total == 0
    ix.close()


def test_update_search_highlight_and_facets(index):
    index.update_documents([search_doc(1), search_doc(2, kind="lesson", city="2", region="north_america",
                                         body="Vigils after the shooting needed security.")])
    result = index.search("lorries driven market")
    assert [h.doc_id for h in result.hits] == ["incident:1"]
    assert "<mark>" in result.hits[0].snippet
    everything = index.search("")
    assert everything.total == 2
    assert everything.facets["kind"] == {"incident": 1, "lesson": 1}
    assert everything.facets["region"] == {"western_europe": 1, "north_america": 1}


def test_update_replaces_and_delete_removes(index):
    index.update_documents([search_doc(1)])
    index.update_documents([search_doc(1, body="Completely different words about a knife.")])
    assert index.doc_count() == 1
    assert index.search("knife").total == 1
    index.delete_documents(["incident:1"])
    assert index.doc_count() == 0


def test_filters_visibility_exclusion_and_kind(index):
    index.update_documents([
        search_doc(1, city="1"), search_doc(2, city="2", visibility="restricted", allowed_city_ids=["7"]),
        search_doc(3, city="3", kind="contact", visibility="staff"),
    ])
    network = index.search("market", {"visibility": ["network", "public"]})
    assert {h.doc_id for h in network.hits} == {"incident:1"}
    with_viewer = index.search("market", {"visibility": ["network"], "viewer_city_id": "7"})
    assert {h.doc_id for h in with_viewer.hits} == {"incident:1", "incident:2"}
    excluded = index.search("market", {"exclude_city_ids": ["1"], "kinds": ["incident"]})
    assert {h.doc_id for h in excluded.hits} == {"incident:2"}


@pytest.mark.parametrize("text", [
    'AND OR NOT ((( "unclosed', "*", "?~^2", "title:", "[a TO", "}{][", "!!!???...", "   ",
    "x" * 10000, "word " * 3000, "مسجد هجوم 攻击 清真寺 атака мечеть 🚚💥", "\x00\x01\u200b",
    "NOT", "-", "a", "'; DROP TABLE city; --", "<script>alert(1)</script>",
])
def test_any_query_text_never_raises(index, text):
    index.update_documents([search_doc(1)])
    result = index.search(text)
    assert result.total >= 0
    assert index.search(text, {"kinds": ["incident"]}, page=99, pagelen=5).hits == []


def test_bad_paging_is_tolerated(index):
    index.update_documents([search_doc(1)])
    assert index.search("market", page="x", pagelen=None).total == 1


def test_stamps_report_missing_stale_and_extra(index):
    index.update_documents([search_doc(1), search_doc(2)])
    assert index.stamps() == {"incident:1": "v1", "incident:2": "v2"}
    assert index.stamps(kind="lesson") == {}


def test_rebuild_swaps_in_a_fresh_generation(index):
    index.update_documents([search_doc(1)])
    old_generation = index.generation_path()
    seen = []
    count = index.rebuild((search_doc(n) for n in range(10, 1510)), progress=seen.append, last_change_id=42)
    assert count == 1500 and seen[-1] == 1500 and 1000 in seen
    assert index.generation_path() != old_generation
    assert index.doc_count() == 1500
    assert index.get("incident:1") is None
    assert index.last_change_id() == 42
    # another handle on the same folder follows the swap
    other = search.Index(index.path)
    assert other.doc_count() == 1500
    other.close()


def test_failed_rebuild_keeps_the_live_index(index):
    index.update_documents([search_doc(1)])

    def broken():
        yield search_doc(2)
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        index.rebuild(broken())
    assert index.doc_count() == 1
    assert index.get("incident:1") is not None


def test_try_apply_returns_false_while_another_writer_holds_the_lock(index):
    other = search.Index(index.path)  # as another worker process would
    writer = other._open().writer()
    try:
        assert index.try_apply([("upsert", search_doc(1))], change_id=5) is False
    finally:
        writer.cancel()
    assert index.try_apply([("upsert", search_doc(1)), ("upsert", search_doc(2)), ("delete", "incident:2")],
                           change_id=6) is True
    assert index.last_change_id() == 6
    assert set(index.stamps()) == {"incident:1"}
    other.close()


def test_try_apply_rejects_unknown_operation_without_committing(index):
    with pytest.raises(ValueError):
        index.try_apply([("upsert", search_doc(1)), ("explode", search_doc(2))])
    assert index.doc_count() == 0
    assert index.try_apply([("delete", {"doc_id": "incident:9"})]) is True


def test_open_index_is_one_per_process_and_folder(tmp_path):
    assert search.open_index(str(tmp_path / "i")) is search.open_index(str(tmp_path / "i"))


def test_filters_read_columns_of_documents_added_after_the_last_one_with_the_field(index):
    # A rebuild adds toolkit items (no city, no city_status) last: Whoosh's columns end before them.
    index.rebuild([search_doc(1), {"doc_id": "toolkit_item:1", "kind": "toolkit_item", "title": "Vigils",
                             "body": "A crowded market vigil", "facets": ["target:crowded_public_place"],
                             "visibility": "network"}])
    clauses = [("facets", "target:crowded_public_place", 1.0, False)]
    hits = index.score_terms(clauses, {"kinds": ["incident", "toolkit_item"], "city_status": "active"})
    assert [h.doc_id for h in hits] == ["incident:1"]
    assert {h.doc_id for h in index.score_terms(clauses, {"exclude_city_ids": ["9"]})} == {"incident:1", "toolkit_item:1"}


def test_reused_snippets_are_whooshs_own_and_follow_the_text(index):
    """A passage made once is reused for the same text and words: the same as Whoosh marks afresh, and never the
    old passage once the document's text has changed."""
    index.update_documents([search_doc(1, body="Vigils after the shooting needed security at the mosque."),
                            search_doc(2, kind="lesson", body="Security for vigils: stewards and the police.")])
    search._SNIPPETS.clear()
    fresh = [(h.doc_id, h.snippet) for h in index.search("vigil security").hits]
    assert len(fresh) == 2 and all("<mark>" in s for _, s in fresh) and search._SNIPPETS
    assert [(h.doc_id, h.snippet) for h in index.search("vigil security").hits] == fresh  # reused
    other = {h.doc_id: h.snippet for h in index.search("vigil").hits}  # other words: other marks
    assert "<mark>security</mark>" not in other["incident:1"].lower() and "<mark>" in other["incident:1"]
    index.update_documents([search_doc(1, body="A new text: the vigil moved to the town square.")])
    changed = {h.doc_id: h.snippet for h in index.search("vigil security").hits}
    assert "square" in changed["incident:1"] and "mosque" not in changed["incident:1"]
