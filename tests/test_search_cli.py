"""Commands answer searches on an index never built: they build it first, under the lock, and answer.

Run as an outside evaluator does, in a fresh folder through the real `crm` group (click's CliRunner):
`crm db upgrade` then `crm peers --json`, and `crm import cities`, `crm import lessons`, `crm peers`.
The database is a fresh SQLite file in the folder on either test database (that is the evaluator's case).
"""

import json
import shutil

import pytest
from click.testing import CliRunner

from crm import search
from crm.cli import main


@pytest.fixture
def crm(tmp_path, monkeypatch):
    """Run `crm ARGS` in a fresh folder; a search never waits for a background rebuild there."""
    monkeypatch.chdir(tmp_path)
    env = {"CRM_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}", "CRM_INDEX_DIR": str(tmp_path / "index"),
           "CRM_SEARCH_REBUILD_WAIT": "0", "CRM_SECRET_KEY": None}

    def run(*args):
        return CliRunner(env=env).invoke(main, list(args), catch_exceptions=False)

    return run


def test_peers_on_a_migrated_database_whose_index_was_never_built(crm, tmp_path):
    assert crm("db", "upgrade").exit_code == 0
    # This folder's index was never built: the database was migrated elsewhere (or the folder removed).
    shutil.rmtree(tmp_path / "index", ignore_errors=True)
    peers = crm("peers", "--json", "A van drove into the crowd at the market.")
    assert peers.exit_code == 0, peers.output
    assert json.loads(peers.stdout) == []  # no member city yet, and no "being rebuilt" failure
    assert search.open_index(str(tmp_path / "index")).last_change_id() is not None  # built, watermark set
    check = crm("search", "check")
    assert check.exit_code == 0 and "0 change(s) pending" in check.output


def test_imports_leave_a_complete_index_that_peers_answers_from(crm, tmp_path):
    (tmp_path / "cities.csv").write_text(
        "name,country,region,population,languages,expertise,incident_summary\n"
        "Marseille,FR,western_europe,870000,fr;en,victim_support,A van drove into the crowd at the market.\n"
        "Oslo,NO,northern_europe,700000,no;en,crisis_communication,A bomb exploded in the government quarter.\n",
        encoding="utf-8")
    (tmp_path / "lessons.csv").write_text(
        "city,title,phase,themes,body\n"
        "Oslo,Tell families first,first 24h,victim_support,Families heard of the bombing from the news before us.\n",
        encoding="utf-8")
    cities = crm("import", "cities", str(tmp_path / "cities.csv"))
    assert cities.exit_code == 0 and "2 created" in cities.output, cities.output
    lessons = crm("import", "lessons", str(tmp_path / "lessons.csv"))
    assert lessons.exit_code == 0, lessons.output
    check = crm("search", "check")
    assert check.exit_code == 0, check.output  # nothing missing, stale or extra, nothing pending
    assert "missing: 0" in check.output and "0 change(s) pending" in check.output
    peers = crm("peers", "--json", "Une camionnette a foncé dans la foule du marché")
    assert peers.exit_code == 0, peers.output
    assert json.loads(peers.stdout)[0]["city"] == "Marseille"


def test_crm_peers_prints_what_the_ranking_with_snippets_gives(app):
    """`crm peers` builds no snippets (it prints none): its cities, scores and reasons are the same."""
    from crm import seeding
    from crm.searchui import services

    seeding.run(demo=True)
    runner = app.test_cli_runner()
    for text in ("a man drove a van into a crowd at a christmas market",
                 "Un homme armé a ouvert le feu dans la mosquée pendant la prière",
                 "rumours about the attacker's origin led to riots at a mosque"):
        printed = json.loads(runner.invoke(args=["peers", "--json", text]).output)
        assert printed and printed == services.peers_json(services.peers(None, text, limit=10, snippets=True))
