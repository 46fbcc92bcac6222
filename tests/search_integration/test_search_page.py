"""The search page and /api/peers: only what the user may see, any query string, highlighted snippets."""

import json
import re

import pytest

from crm import indexing
from crm.contacts.models import Contact
from tests.search_integration.network import apply, lesson, link


@pytest.fixture
def lessons_by_visibility(network):
    """One lesson per audience, each with a unique word so searches can tell them apart."""
    author, named, other = network["mosque"], network["market"], network["quiet"]
    rows = {
        "public": lesson(author, "Public vigil lesson", "zebrapublic okapi candles at the vigil", visibility="public"),
        "network": lesson(author, "Network vigil lesson", "zebranetwork okapi candles at the vigil"),
        "cities": lesson(author, "Named cities lesson", "zebracities okapi candles at the vigil", visibility="cities",
                         shared=[named]),
        "draft": lesson(author, "Draft lesson", "zebradraft okapi candles at the vigil", status="draft"),
        "submitted": lesson(author, "Submitted lesson", "zebrasubmitted okapi candles at the vigil", status="submitted"),
        "archived": lesson(author, "Archived lesson", "zebraarchived okapi candles at the vigil", status="archived"),
    }
    with_contact = Contact.create(name="Zebra Secretperson", email="zebra@example.org", city=author,
                                  position="zebracontact adviser")
    indexing.touch(with_contact)
    apply()
    return {"rows": rows, "author": author, "named": named, "other": other}


def _words(html):
    return set(re.findall(r"zebra[a-z]+", html))


def _member_of(login_as, city):
    client = login_as("member")
    link(client.user, city)
    return client


def test_each_user_sees_exactly_the_lessons_allowed(login_as, lessons_by_visibility):
    data = lessons_by_visibility
    everything = {"zebrapublic", "zebranetwork", "zebracities", "zebradraft", "zebrasubmitted", "zebraarchived"}
    expected = {
        "other": {"zebrapublic", "zebranetwork"},
        "named": {"zebrapublic", "zebranetwork", "zebracities"},
        "author": everything,
    }
    for who, words in expected.items():
        client = _member_of(login_as, data[who])
        html = client.get("/search?q=okapi").get_data(as_text=True)
        assert _words(html) == words, who
        assert f"{len(words)} results" in html, who
        # the kind facet counts only what the user may see
        assert re.search(r"Lessons</a> <span class=\"muted\">\((\d+)\)", html).group(1) == str(len(words)), who
    staff = login_as("staff")
    html = staff.get("/search?q=okapi").get_data(as_text=True)
    assert _words(html) >= everything


def test_hidden_words_never_appear_in_snippets_or_counts(login_as, lessons_by_visibility):
    client = _member_of(login_as, lessons_by_visibility["other"])
    for word in ("zebradraft", "zebracities", "zebrasubmitted", "zebracontact", "secretperson"):
        html = client.get(f"/search?q={word}").get_data(as_text=True)
        assert "0 results" in html, word
        assert 'class="search-hit"' not in html
    html = client.get("/search?q=okapi+zebradraft+zebracities+secretperson").get_data(as_text=True)
    for word in ("zebradraft", "zebracities", "zebrasubmitted", "zebraarchived", "zebracontact"):
        assert f"<mark>{word}</mark>" not in html
    # The results only (the footer's language links repeat the visitor's own query, which is no leak).
    hits = " ".join(html.split('class="search-hit"')[1:]).split("</main>")[0]
    assert _words(hits) == {"zebrapublic", "zebranetwork"}


def test_contacts_are_searchable_by_staff_only(login_as, lessons_by_visibility):
    member = _member_of(login_as, lessons_by_visibility["author"])
    assert "Zebra Secretperson" not in member.get("/search?q=Secretperson").get_data(as_text=True)
    staff = login_as("staff")
    html = staff.get("/search?q=Secretperson").get_data(as_text=True)
    assert "Zebra Secretperson" in html and "Contacts" in html


def test_filters_facets_and_pagination(login_as, network):
    for n in range(25):
        lesson(network["quiet"], f"Lesson number {n}", f"quokka lesson {n} about memorials", phase="long_term")
    apply()
    client = login_as("staff")
    first = client.get("/search?q=quokka").get_data(as_text=True)
    assert "25 results" in first and "Page 1 of 2" in first and 'rel="next"' in first
    second = client.get("/search?q=quokka&page=2").get_data(as_text=True)
    assert second.count('class="search-hit"') == 5
    assert "<mark>quokka</mark>" in second
    filtered = client.get("/search?q=quokka&kind=incident").get_data(as_text=True)
    assert "0 results" in filtered
    phase = client.get("/search?q=quokka&phase=long_term").get_data(as_text=True)
    assert "25 results" in phase


@pytest.mark.parametrize("q", [
    '"unclosed quote', "AND OR NOT", "((((", "*", "?", "!!!???...,,,", "title:foo body:[a TO",
    "x" * 10000, "Anschlag auf die Moschee مسجد 清真寺 синагога", "%00\\'; DROP TABLE lesson;--", "~~~^^^",
    "a" * 300 + " " + "é" * 300, "\u200b\u200b", "-", "🙂🙂🙂"])
def test_any_query_string_gives_a_page(login_as, network, q):
    client = login_as("member")
    response = client.get("/search", query_string={"q": q})
    assert response.status_code == 200
    assert "result" in response.get_data(as_text=True)
    api = client.get("/api/peers", query_string={"q": q, "limit": "5"})
    assert api.status_code == 200 and isinstance(api.get_json(), list)


def test_bad_paging_and_limits_are_tolerated(login_as, network):
    client = login_as("member")
    assert client.get("/search?q=mosque&page=-3").status_code == 200
    assert client.get("/search?q=mosque&page=abc").status_code == 200
    assert client.get("/search?q=mosque&page=99999").status_code == 200
    assert client.get("/api/peers?q=mosque&limit=abc").status_code == 200
    assert len(client.get("/api/peers?q=mosque+shooting&limit=1").get_json()) <= 1


def test_api_peers_shape_and_exclusions(login_as, network):
    client = login_as("member")
    link(client.user, network["mosque"])
    rows = client.get("/api/peers?q=Un+homme+armé+a+ouvert+le+feu+dans+une+mosquée&limit=5").get_json()
    assert "Harbourton" not in [r["city"] for r in rows]  # the asking city is excluded
    other = login_as("member")
    link(other.user, network["asking"])
    rows = other.get("/api/peers?q=Un+homme+armé+a+ouvert+le+feu+dans+une+mosquée&limit=5").get_json()
    assert rows and all(set(r) == {"city", "country", "score", "reasons"} for r in rows)
    assert rows[0]["city"] == "Harbourton" and rows[0]["country"] == "NZ"
    assert isinstance(rows[0]["score"], float) and rows[0]["reasons"]


def test_api_peers_needs_a_login(client, network):
    response = client.get("/api/peers?q=mosque")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_unpublished_and_named_city_lessons_do_not_make_peers(login_as, network):
    lonely = network["quiet"]
    lesson(lonely, "Draft about a stabbing", "A knife attack, a stabbing in the tram: our draft notes.",
           status="draft", themes=["victim_support"])
    apply()
    client = login_as("member")
    link(client.user, network["asking"])
    rows = client.get("/api/peers?q=stabbing+knife+attack+in+the+tram").get_json()
    assert "Calmville" not in [r["city"] for r in rows]
    staff_rows = login_as("staff").get("/api/peers?q=stabbing+knife+attack+in+the+tram").get_json()
    assert "Calmville" not in [r["city"] for r in staff_rows]


def test_inactive_cities_are_not_peers(login_as, network):
    from crm.membership.services import change_city_status

    staff = login_as("staff")
    change_city_status(network["mosque"], "suspended", reason="test", actor=staff.user)
    apply()
    rows = staff.get("/api/peers?q=shooting+at+a+mosque").get_json()
    assert "Harbourton" not in [r["city"] for r in rows]


def test_peers_command_prints_json(app, network):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["peers", "Ein LKW raste in einen Weihnachtsmarkt", "--limit", "2", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows[0]["city"] == "Marktstadt" and len(rows) <= 2
    plain = runner.invoke(args=["peers", "Ein LKW raste in einen Weihnachtsmarkt"])
    assert "1. Marktstadt" in plain.output


def test_facets_show_names_not_keys_and_skip_empty_values(login_as, lessons_by_visibility):
    html = login_as("staff").get("/search?q=okapi").get_data(as_text=True)
    assert ">Oceania</a>" in html and "oceania</a>" not in html
    assert re.search(r'<a href="[^"]*phase=[^"]*"[^>]*>First week</a>', html)
    assert '<a href="/search?q=okapi&amp;phase=&amp;page=1"' not in html
    assert re.search(r"<li><a [^>]*></a>", html) is None  # no facet entry without a label


def test_api_peers_reuses_a_ranking_until_the_index_changes(login_as, network, monkeypatch):
    """The same question of an unchanged index is answered from the last ranking; a change to the index (a new
    city that lived through the same attack) is in the very next answer."""
    from crm.searchui import services
    from tests.search_integration.network import incident, make_city

    services.RANKINGS.clear()
    calls = []
    real = services.find_peers
    monkeypatch.setattr(services, "find_peers", lambda *a, **k: calls.append(1) or real(*a, **k))
    client = login_as("staff")
    url = "/api/peers?q=A+gunman+opened+fire+in+the+mosque+during+Friday+prayer&limit=10"
    first = client.get(url).get_json()
    assert first and client.get(url).get_json() == first and len(calls) == 1
    assert client.get(url.replace("limit=10", "limit=3")).get_json() == first[:3] and len(calls) == 2
    newcomer = make_city("Moskvik", "NO", ["no", "en"], region="northern_europe")
    incident(newcomer, "Shooting at the mosque during Friday prayer", "A gunman opened fire in the mosque during "
             "prayer; far-right, anti-Muslim motive.",
             {"attack": ["shooting"], "target": ["place_of_worship"], "motive": ["far_right", "anti_muslim"]})
    apply()
    after = client.get(url).get_json()
    assert len(calls) == 3 and "Moskvik" in [row["city"] for row in after]
