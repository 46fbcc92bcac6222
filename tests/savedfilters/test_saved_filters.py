"""Saved filters ("smart groups"): staff save a list's filters under a name, reuse them, share or delete them."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from crm.contacts.models import Contact
from crm.membership.models import City
from crm.savedfilters.models import SavedFilter

CONTACTS_QUERY = "q=ana&sector=city_government&city=&country=NO&tag=speaker&sort=-name"


@pytest.fixture
def people(app):
    oslo = City.create(name="Oslo", name_key="oslo", country="NO", region="northern_europe")
    bergen = City.create(name="Bergen", name_key="bergen", country="NO", region="northern_europe",
                         status="suspended")
    for name, sector, tags in (("Ana Berg", "city_government", ["speaker"]), ("Anakin Dahl", "city_government", []),
                               ("Anahita Lund", "police", ["speaker"]), ("Jonas Ek", "city_government", ["speaker"])):
        Contact.create(name=name, name_key=name.lower(), email=f"{name.split()[0].lower()}@oslo.example.org",
                       city=oslo, sector=sector, tags=tags)
    return {"oslo": oslo, "bergen": bergen}


def _location(response) -> str:
    parts = urlsplit(response.headers["Location"])
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _names(html: str) -> list[str]:
    return [name for name in ("Ana Berg", "Anakin Dahl", "Anahita Lund", "Jonas Ek") if name in html]


def test_a_saved_filter_reapplies_exactly_the_same_query_string(login_as, people):
    staff = login_as("staff")
    shown = staff.get(f"/contacts/?{CONTACTS_QUERY}").get_data(as_text=True)
    assert _names(shown) == ["Ana Berg"]
    # The form on the page carries the page's own query string; the page number is not part of a filter.
    assert f'name="query" value="{CONTACTS_QUERY.replace("&", "&amp;")}"' in shown
    response = staff.post("/saved-filters/", data={"page": "contacts.contact_list", "name": "  Oslo   speakers ",
                                                   "query": CONTACTS_QUERY + "&page=3"})
    assert _location(response) == f"/contacts/?{CONTACTS_QUERY}"
    saved = SavedFilter.get()
    assert (saved.name, saved.query, saved.shared, saved.owner_id) == ("Oslo speakers", CONTACTS_QUERY, False,
                                                                       staff.user.id)
    listed = staff.get("/contacts/").get_data(as_text=True)  # listed beside the filters, with no filter applied
    assert f'<a href="/saved-filters/{saved.id}">Oslo speakers</a>' in listed
    assert _names(listed) == ["Ana Berg", "Anakin Dahl", "Anahita Lund", "Jonas Ek"]
    used = staff.get(f"/saved-filters/{saved.id}")
    assert used.status_code == 302 and _location(used) == f"/contacts/?{CONTACTS_QUERY}"
    assert _names(staff.get(_location(used)).get_data(as_text=True)) == ["Ana Berg"]
    # Saving the same name again replaces the filter rather than adding a second one.
    staff.post("/saved-filters/", data={"page": "contacts.contact_list", "name": "Oslo speakers", "query": "q=jonas"})
    assert [(f.name, f.query) for f in SavedFilter.select()] == [("Oslo speakers", "q=jonas")]


def test_the_cities_list_has_its_own_saved_filters(login_as, people):
    staff = login_as("admin")
    query = "q=&region=northern_europe&country=&status=suspended&expertise=&population=&sort=name"
    staff.post("/saved-filters/", data={"page": "membership.city_list", "name": "Suspended in the north",
                                        "query": query})
    saved = SavedFilter.get()
    assert saved.page == "membership.city_list"
    html = staff.get(_location(staff.get(f"/saved-filters/{saved.id}"))).get_data(as_text=True)
    assert "Bergen" in html and ">Oslo<" not in html
    assert "Suspended in the north" in html and "Suspended in the north" not in staff.get("/contacts/").get_data(
        as_text=True)  # each list shows its own


def test_a_member_can_neither_see_nor_use_saved_filters(login_as, client, people):
    staff = login_as("staff")
    for name, shared in (("Mine", "n"), ("For everyone", "y")):
        staff.post("/saved-filters/", data={"page": "membership.city_list", "name": name, "query": "region=mena",
                                            "shared": shared})
    member = login_as("member")
    html = member.get("/cities/").get_data(as_text=True)
    assert member.get("/cities/").status_code == 200
    assert "Saved filters" not in html and "For everyone" not in html and "/saved-filters/" not in html
    for saved in list(SavedFilter.select()):
        assert member.get(f"/saved-filters/{saved.id}").status_code == 403
        assert member.post(f"/saved-filters/{saved.id}/delete", data={"page": "membership.city_list"}).status_code == 403
    assert member.post("/saved-filters/", data={"page": "membership.city_list", "name": "Member's",
                                                "query": "q=x"}).status_code == 403
    assert SavedFilter.select().count() == 2
    assert client.get(f"/saved-filters/{SavedFilter.get().id}").status_code == 302  # to the sign-in page


def test_shared_filters_are_seen_by_all_staff_and_deleted_only_by_their_owner(login_as, people):
    owner, colleague = login_as("staff", name="Owner Staff"), login_as("staff")
    for name, shared in (("Private", "n"), ("Shared", "y")):
        owner.post("/saved-filters/", data={"page": "contacts.contact_list", "name": name, "query": "q=ana",
                                            "shared": shared})
    private, shared = SavedFilter.get(name="Private"), SavedFilter.get(name="Shared")
    html = colleague.get("/contacts/").get_data(as_text=True)
    assert f'<a href="/saved-filters/{shared.id}">Shared</a>' in html and "(shared by Owner Staff)" in html
    assert "Private" not in html
    assert colleague.get(f"/saved-filters/{private.id}").status_code == 404
    assert _location(colleague.get(f"/saved-filters/{shared.id}")) == "/contacts/?q=ana"
    assert f"/saved-filters/{shared.id}/delete" not in html  # no delete button on another's filter
    refused = colleague.post(f"/saved-filters/{shared.id}/delete", data={"page": "contacts.contact_list"},
                             follow_redirects=True)
    assert "Only the person who saved this filter can delete it." in refused.get_data(as_text=True)
    assert SavedFilter.get_or_none(id=shared.id) is not None
    done = owner.post(f"/saved-filters/{shared.id}/delete", data={"page": "contacts.contact_list"},
                      follow_redirects=True)
    assert "Deleted the saved filter “Shared”." in done.get_data(as_text=True)
    assert [f.name for f in SavedFilter.select()] == ["Private"]


def test_a_filter_needs_a_name_and_a_known_page(login_as, people):
    staff = login_as("staff")
    refused = staff.post("/saved-filters/", data={"page": "contacts.contact_list", "name": "  ", "query": "q=ana"},
                         follow_redirects=True)
    assert "Give the filter a name to find it again." in refused.get_data(as_text=True)
    assert staff.post("/saved-filters/", data={"page": "accounts.user_list", "name": "x", "query": ""}).status_code == 400
    assert SavedFilter.select().count() == 0


def test_a_name_nobody_expects_is_kept_short_and_shown_as_text(login_as, people):
    staff = login_as("staff")
    name = "=HYPERLINK(\"x\")\n<script>alert(1)</script>\x00 " + "ح" * 500
    response = staff.post("/saved-filters/", data={"page": "contacts.contact_list", "name": name,
                                                   "query": "q=<b>&sector=\x00"}, follow_redirects=True)
    assert response.status_code == 200
    saved = SavedFilter.get()
    assert len(saved.name) == 100 and "\n" not in saved.name and "\x00" not in saved.name
    html = staff.get("/contacts/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
