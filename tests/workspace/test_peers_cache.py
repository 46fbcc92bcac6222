"""A workspace's peer ranking is kept while nothing it depends on changes, and never served stale."""

from __future__ import annotations

import re

from crm.workspace import services
from tests.search_integration.network import apply, incident, make_city
from tests.workspace.test_workspace import FRENCH, member, workspace  # noqa: F401 - fixtures


def _peers(client, workspace):
    return re.findall(r'data-city="([^"]+)"', client.get(f"/workspace/{workspace.id}").get_data(as_text=True))


def test_the_ranking_is_reused_until_the_index_or_the_description_changes(member, workspace, monkeypatch):
    services._RANKINGS.clear()
    calls = []
    real = services.find_peers
    monkeypatch.setattr(services, "find_peers", lambda *a, **k: calls.append(1) or real(*a, **k))
    first = _peers(member, workspace)
    assert first and _peers(member, workspace) == first and len(calls) == 1  # the second page reused it
    # A new city that lived through the same attack: the index changes, so the ranking is made again.
    newcomer = make_city("Moskvik", "NO", ["no", "en"], region="northern_europe")
    incident(newcomer, "Shooting at the mosque during Friday prayer", "A gunman opened fire in the mosque during "
             "prayer; far-right, anti-Muslim motive.",
             {"attack": ["shooting"], "target": ["place_of_worship"], "motive": ["far_right", "anti_muslim"]})
    apply()
    after = _peers(member, workspace)
    assert len(calls) == 2 and "Moskvik" in after
    # A new description is a new question.
    member.post(f"/workspace/{workspace.id}/edit", data={"description": FRENCH + " Des rumeurs circulent.",
                                                         "phase": "first_week"})
    _peers(member, workspace)
    assert len(calls) == 3
