"""The index change log: written in the change's transaction, applied after commit, rebuild/check/sync."""

import pytest

from crm import indexing
from crm.db import database
from crm.incidents.models import Incident
from crm.indexing import IndexChange
from tests.search_integration.network import apply, incident, link


def test_the_log_entry_is_part_of_the_transaction(app, network):
    before = IndexChange.select().count()
    with pytest.raises(RuntimeError):
        with database.atomic():
            incident(network["quiet"], "Rolled back", "never committed", {})
            raise RuntimeError("the change fails after the log entry was written")
    assert IndexChange.select().count() == before
    assert not Incident.select().where(Incident.title == "Rolled back").exists()
    incident(network["quiet"], "Committed", "kept", {})
    assert IndexChange.select().count() == before + 1


def test_a_web_change_is_searchable_after_its_request(login_as, network):
    client = login_as("member")
    link(client.user, network["quiet"])
    response = client.post(f"/incidents/new?city={network['quiet'].id}", data={
        "title": "Arson at the community centre", "summary": "Someone set fire to the wombatcentre at night.",
        "attack": ["arson"], "visibility": "network"})
    assert response.status_code == 302, response.get_data(as_text=True)
    ix = indexing.open_index()
    assert ix.last_change_id() == IndexChange.select().order_by(IndexChange.id.desc()).first().id
    assert "Arson at the community centre" in client.get("/search?q=wombatcentre").get_data(as_text=True)


def test_a_taken_lock_leaves_changes_to_the_holder_then_a_search_applies_them(login_as, network):
    ix = indexing.open_index()
    with indexing.apply_lock(ix) as held:
        assert held
        incident(network["quiet"], "Knife attack on a tram", "A numbatword stabbing in a tram.", {"attack": ["knife"]})
        assert indexing.apply_pending(ix) is None  # another holder: nothing raised, nothing lost
        assert indexing.pending_count(ix) == 1
    client = login_as("staff")
    assert "Knife attack on a tram" in client.get("/search?q=numbatword").get_data(as_text=True)
    assert indexing.pending_count(ix) == 0


def test_deleting_a_record_removes_its_document(login_as, network):
    row = incident(network["quiet"], "Temporary", "quollword", {})
    apply()
    staff = login_as("staff")
    assert staff.post(f"/incidents/{row.id}/delete").status_code == 302
    assert indexing.open_index().get(f"incident:{row.id}") is None


def test_city_changes_reach_the_documents_that_copy_them(login_as, network):
    from crm.membership.services import update_city

    staff = login_as("staff")
    update_city(network["market"], {"name": "Marktstadt am Fluss"}, actor=staff.user)
    apply()
    ix = indexing.open_index()
    incident_doc = [d for d in ix.stamps("incident") if ix.get(d)["city_id"] == str(network["market"].id)][0]
    assert ix.get(incident_doc)["city_name"] == "Marktstadt am Fluss"
    assert indexing.check(ix).ok


def test_check_reports_missing_stale_and_extra_and_rebuild_repairs(app, network):
    ix = indexing.open_index()
    assert indexing.check(ix).ok
    row = Incident.select().first()
    Incident.update(title="Changed behind the log's back").where(Incident.id == row.id).execute()
    ix.delete_documents([f"city:{network['quiet'].id}"])
    ix.update_documents([{"doc_id": "incident:99999", "kind": "incident", "title": "ghost", "city_id": "1"}])
    report = indexing.check(ix)
    assert report.stale == [f"incident:{row.id}"]
    assert report.missing == [f"city:{network['quiet'].id}"]
    assert report.extra == ["incident:99999"]
    runner = app.test_cli_runner()
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1 and "stale: 1" in result.output and "extra: 1" in result.output
    generation = ix.generation_path()
    result = runner.invoke(args=["search", "rebuild"])
    assert result.exit_code == 0 and "Indexed" in result.output, result.output
    assert ix.generation_path() != generation  # a fresh folder was swapped in
    assert indexing.check(ix).ok
    assert runner.invoke(args=["search", "check"]).exit_code == 0


def test_sync_applies_what_nobody_applied(app, network):
    ix = indexing.open_index()
    with indexing.apply_lock(ix):
        incident(network["quiet"], "Pending", "pending", {})
    assert indexing.pending_count(ix) == 1
    result = app.test_cli_runner().invoke(args=["search", "sync"])
    assert result.exit_code == 0 and "Applied 1" in result.output
    assert indexing.pending_count(ix) == 0 and indexing.check(ix).ok


def test_each_index_folder_keeps_its_own_position(app, network, tmp_path):
    """Two hosts with their own index folders catch up independently from the same database."""
    from crm import search

    other = search.Index(str(tmp_path / "other-host"))
    assert indexing.apply_pending(other) > 0
    assert indexing.check(other).ok
    incident(network["quiet"], "Later", "later", {})
    apply()
    assert indexing.pending_count(other) == 1 and indexing.pending_count() == 0
    indexing.apply_pending(other)
    assert indexing.check(other).ok
    other.close()


def test_prune_deletes_only_old_applied_rows(app, network):
    import datetime as dt

    from crm.db import utcnow

    apply()
    old = utcnow() - dt.timedelta(days=40)
    IndexChange.update(created_at=old).execute()
    ix = indexing.open_index()
    with indexing.apply_lock(ix):
        incident(network["quiet"], "Not yet applied", "pending", {})
    IndexChange.update(created_at=old).where(IndexChange.id > (ix.last_change_id() or 0)).execute()
    applied_rows = IndexChange.select().where(IndexChange.id <= (ix.last_change_id() or 0)).count()
    assert applied_rows > 0
    result = app.test_cli_runner().invoke(args=["search", "prune", "--days", "30"])
    assert result.exit_code == 0 and f"Deleted {applied_rows} change-log row(s)" in result.output
    assert IndexChange.select().count() == 1  # the pending row stays, however old
    assert indexing.pending_count(ix) == 1
