"""Every GET endpoint, as each role, with other cities' ids and every search filter value: nothing leaks.

City B holds records that a member of city A and a visitor may not see (a draft and a submitted lesson,
a lesson shared only with city C, an incident workspace, a confidential contact) and records a member
may see but a visitor may not (a network incident and lesson). Each carries a unique word to search for
(``quokka…``, which pages may echo back) and a unique marker (``wombat…``, in its title and text); the
walk asserts that no page, JSON answer or snippet ever holds a marker the role may not see and that no
search counts such a record.
"""

from __future__ import annotations

import itertools
import re
from urllib.parse import urlencode

import pytest

from crm import indexing, search
from crm.contacts.services import create_contact
from crm.workspace.services import open_workspace
from tests.search_integration.network import apply, incident, lesson, link, make_city, reference_data

# word searched for -> who may see the record (staff and admins see everything)
SECRETS = {
    "quokkadraft": set(),
    "quokkasubmitted": set(),
    "quokkashared": set(),
    "quokkaworkspace": set(),
    "quokkacontact": set(),
    "leak.example": set(),
    "quokkanetwork": {"member"},
    "quokkaincident": {"member"},
}
VISIBLE = {"quokkapublic": {"visitor", "member"}}
MARKERS = {"quokkadraft": "wombatdraft", "quokkasubmitted": "wombatsubmitted", "quokkashared": "wombatshared",
           "quokkaworkspace": "wombatworkspace", "quokkacontact": "wombatcontact",
           "leak.example": "wombat.secret@", "quokkanetwork": "wombatnetwork", "quokkaincident": "wombatincident"}


@pytest.fixture
def walk_network(app, make_user):
    reference_data()
    a = make_city("Aville", "FR", ["fr"])
    b = make_city("Beeburg", "DE", ["de", "en"], region="central_europe")
    c = make_city("Ceeton", "CA", ["en"], region="north_america")
    member_b = make_user("member")
    link(member_b, b)
    rows = {
        "draft": lesson(b, "Wombatdraft lesson", "quokkadraft wombatdraft vigil candles okapi", status="draft"),
        "submitted": lesson(b, "Wombatsubmitted lesson", "quokkasubmitted wombatsubmitted vigil candles okapi",
                            status="submitted"),
        "shared": lesson(b, "Wombatshared lesson", "quokkashared wombatshared vigil candles okapi",
                         visibility="cities", shared=[c]),
        "network": lesson(b, "Wombatnetwork lesson", "quokkanetwork wombatnetwork vigil candles okapi"),
        "public": lesson(b, "Quokkapublic lesson", "quokkapublic vigil candles okapi", visibility="public"),
        "incident": incident(b, "Wombatincident at the market",
                             "quokkaincident wombatincident a truck drove into okapi crowds",
                             {"attack": ["vehicle_ramming"], "target": ["crowded_public_place"]}),
    }
    rows["workspace"] = open_workspace(b, {"title": "Wombatworkspace response",
                                           "description": "quokkaworkspace wombatworkspace a truck drove into okapi",
                                           "phase": "first_week"}, actor=member_b)
    rows["contact"] = create_contact({"name": "Wombatcontact Secretperson", "email": "wombat.secret@leak.example",
                                      "position": "quokkacontact adviser", "city": b.id}, actor=None)
    apply()
    return {"a": a, "b": b, "c": c, "rows": rows}


def _forbidden(role: str) -> list[str]:
    if role in ("staff", "admin"):
        return []
    return [word for word, allowed in SECRETS.items() if role not in allowed]


def _forbidden_markers(role: str) -> list[str]:
    return [MARKERS[word] for word in _forbidden(role)]


def _client(app, login_as, role, city):
    if role == "visitor":
        return app.test_client()
    client = login_as(role)
    if role == "member":
        link(client.user, city)
    return client


def _values(name: str, net) -> list:
    """Ids of other cities' and restricted records for a URL argument."""
    rows = net["rows"]
    lessons = [rows[k].id for k in ("draft", "submitted", "shared", "network", "public")]
    by_name = {
        "city_id": [net["b"].id, net["c"].id],
        "lesson_id": lessons,
        "incident_id": [rows["incident"].id],
        "workspace_id": [rows["workspace"].id],
        "contact_id": [rows["contact"].id],
    }
    if name in by_name:
        return by_name[name]
    return sorted({1, 2, net["b"].id, rows["contact"].id, rows["workspace"].id, rows["draft"].id})


def _get_urls(app, net) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        choices = []
        for arg in sorted(rule.arguments):
            converter = rule._converters[arg].__class__.__name__
            if converter == "IntegerConverter":
                choices.append([(arg, v) for v in _values(arg, net)])
            else:
                choices.append([(arg, "quokka-token")])
        for combo in itertools.product(*choices):
            urls.append(rule.build(dict(combo), append_unknown=False)[1])
    return sorted(set(urls))


def _search_urls() -> list[str]:
    words = list(SECRETS) + list(VISIBLE) + ["okapi", "quokka", "example.org", ""]
    filters = [{}] + [{"kind": k} for k in ("city", "incident", "lesson", "toolkit_item", "contact", "unknown")]
    filters += [{"region": r} for r in ("central_europe", "western_europe", "nowhere")]
    filters += [{"phase": p} for p in ("first_week", "preparing", "nophase")]
    filters += [{"year": y} for y in ("2019", "1800", "abc")]
    filters += [{"kind": "lesson", "year": "1800"}, {"kind": "contact", "region": "nowhere"}]
    urls = []
    for word in words:
        for f in filters:
            urls.append("/search?" + urlencode({"q": word, **f}))
        urls.append("/api/peers?" + urlencode({"q": f"{word} truck drove into crowds okapi", "limit": 50}))
    return urls


def _leaks(html: str, forbidden: list[str]) -> list[str]:
    low = html.lower()
    return [w for w in forbidden if w in low]


@pytest.mark.slow
@pytest.mark.parametrize("role", ["visitor", "member", "staff", "admin"])
def test_no_get_endpoint_shows_what_the_role_may_not_see(app, login_as, walk_network, role):
    client = _client(app, login_as, role, walk_network["a"])
    forbidden = _forbidden_markers(role)
    failures, leaks, seen = [], [], 0
    for url in _get_urls(app, walk_network) + _search_urls():
        response = client.get(url)
        seen += 1
        if response.status_code >= 500:
            failures.append((url, response.status_code))
        body = response.get_data(as_text=True) if response.mimetype.startswith(("text/", "application/json")) else ""
        found = _leaks(body, forbidden)
        if found:
            leaks.append((url, found))
    assert failures == []
    assert leaks == []
    assert seen > 150


@pytest.mark.parametrize("role", ["visitor", "member"])
def test_search_filters_never_count_what_the_role_may_not_see(app, login_as, walk_network, role):
    client = _client(app, login_as, role, walk_network["a"])
    for word in _forbidden(role):
        for url in _search_urls():
            if not url.startswith("/search?") or f"q={word}&" not in url + "&":
                continue
            response = client.get(url)
            html = response.get_data(as_text=True)
            if role == "visitor":  # visitors are sent to sign in before any search
                assert response.status_code == 302 and "/account/login" in response.location, url
                continue
            assert "0 results" in html, url
            assert 'class="search-hit"' not in html, url
            assert not _leaks(html, _forbidden_markers(role)), url
            assert not re.search(r'<span class="muted">\([1-9]', html), url  # no facet counts either


def test_member_contact_kind_and_unmatched_filters_show_nothing(app, login_as, walk_network):
    member = _client(app, login_as, "member", walk_network["a"])
    html = member.get("/search?kind=contact&q=leak.example").get_data(as_text=True)
    assert "0 results" in html and "wombat.secret" not in html and "Secretperson" not in html
    for query in ("year=1800", "region=nowhere", "phase=nophase", "kind=unknown"):
        html = member.get(f"/search?q=okapi&{query}").get_data(as_text=True)
        assert "0 results" in html, query
        assert "wombatdraft" not in html.lower() and "wombatshared" not in html.lower(), query
    # the same words without a filter: what a member may see is found, the rest is not
    html = member.get("/search?q=okapi").get_data(as_text=True).lower()
    assert "wombatnetwork" in html and "quokkapublic" in html and "wombatdraft" not in html


def test_staff_still_find_everything(app, login_as, walk_network):
    staff = _client(app, login_as, "staff", walk_network["a"])
    html = staff.get("/search?kind=contact&q=leak.example").get_data(as_text=True)
    assert "Wombatcontact Secretperson" in html
    html = staff.get("/search?q=okapi&kind=lesson").get_data(as_text=True).lower()
    assert {"wombatdraft", "wombatshared", "wombatnetwork"} <= set(re.findall(r"wombat[a-z]+", html))


# --- the search door itself: a filter that allows nothing returns nothing --------------------------

def _doc(n, **extra):
    return {"doc_id": f"lesson:{n}", "kind": "lesson", "city_id": "2", "title": f"Lesson {n}",
            "body": f"okapi vigil number {n} contact@example.org", "facets": ["attack:shooting"],
            "region": "western_europe", "year": "2019", "visibility": "unpublished",
            "allowed_city_ids": ["2"], "city_status": "active", **extra}


NOTHING_FILTERS = [
    {"kinds": []},
    {"kinds": ["lesson"], "year": "1800"},
    {"kinds": ["lesson"], "region": "nowhere", "visibility": ["public", "network"], "viewer_city_id": "1"},
    {"visibility": []},
    {"visibility": ["public"], "viewer_city_id": "1"},
    {"viewer_city_id": "1"},
    {"kinds": ["lesson"], "facets": []},
    {"kinds": ["lesson"], "facets": ["attack:nothing_like_it"]},
]


@pytest.mark.parametrize("filters", NOTHING_FILTERS, ids=lambda f: repr(f))
def test_a_filter_that_allows_nothing_returns_nothing(tmp_path, filters):
    ix = search.Index(str(tmp_path / "index"))
    ix.update_documents([_doc(1), _doc(2)])
    for text in ("okapi", "", "example.org"):
        result = ix.search(text, filters, facets=("kind", "region", "year"))
        assert (result.total, result.hits) == (0, []), text
        assert all(not counts for counts in result.facets.values())
    assert ix.score_terms([("facets", "attack:shooting", 1.0, False), ("body", "okapi", 1.0, True)], filters) == []
    # the same documents are found without the filter, so the filter is what hides them
    assert ix.search("okapi").total == 2
    ix.close()


def test_an_unknown_filter_name_is_refused_not_ignored(tmp_path):
    ix = search.Index(str(tmp_path / "index"))
    ix.update_documents([_doc(1)])
    with pytest.raises(ValueError):
        ix.search("okapi", {"kinds": ["lesson"], "visibilty": ["public"]})
    ix.close()


def test_check_is_clean_after_the_walk_network(app, walk_network):
    assert indexing.check().ok
