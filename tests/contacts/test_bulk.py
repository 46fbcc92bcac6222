"""Bulk actions on the contact list: tag, untag, add to a mailing list, export; ticked rows or all matching."""

import csv
import io
import json

import pytest

from crm.audit.models import AuditEntry
from crm.contacts.models import Contact
from crm.db import utcnow
from crm.membership.models import City


@pytest.fixture
def people(app):
    """25 contacts in Oslo (3 already tagged "speaker", one of them as "Speaker"), one erased; 5 in Lyon."""
    oslo = City.create(name="Oslo", name_key="oslo", country="NO", region="northern_europe")
    lyon = City.create(name="Lyon", name_key="lyon", country="FR", region="western_europe")
    made = {"oslo": [], "lyon": []}
    for n in range(25):
        tags = ["Speaker"] if n == 0 else ["speaker", "expert"] if n in (1, 2) else ["expert"]
        made["oslo"].append(Contact.create(name=f"Oslo Person {n:02}", name_key=f"oslo person {n:02}",
                                           email=f"o{n}@oslo.example.org", city=oslo, tags=tags))
    for n in range(5):
        made["lyon"].append(Contact.create(name=f"Lyon Person {n}", name_key=f"lyon person {n}",
                                           email=f"l{n}@lyon.example.org", city=lyon))
    made["erased"] = Contact.create(name="Erased contact #x", name_key="erased", city=oslo, erased_at=utcnow())
    made["oslo_city"], made["lyon_city"] = oslo, lyon
    return made


def _tags(contacts):
    return {c.id: Contact.get_by_id(c.id).tags for c in contacts}


def test_ticked_rows_are_tagged_and_audited_and_filters_kept(staff, people):
    chosen = people["oslo"][:5]  # 0 has "Speaker", 1 and 2 "speaker": 2 are tagged, 3 already had it
    response = staff.post(f"/contacts/bulk?city={people['oslo_city'].id}&sort=-name",
                          data={"action": "add_tag", "tag": " speaker ", "ids": [str(c.id) for c in chosen]})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/contacts/?city={people['oslo_city'].id}&sort=-name")
    html = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tagged 2 contacts “speaker”; 3 already had it." in html
    tags = _tags(people["oslo"])
    assert tags[chosen[3].id] == ["expert", "speaker"] and tags[chosen[0].id] == ["Speaker"]
    assert all(tags[c.id] == ["expert"] for c in people["oslo"][5:])  # not ticked: untouched
    entry = AuditEntry.get(AuditEntry.action == "contact.bulk_tag")
    assert entry.changes["count"] == 2 and entry.changes["ids"] == sorted([chosen[3].id, chosen[4].id])
    assert entry.actor_email == staff.user.email


def test_all_matching_asks_first_above_20_then_tags_the_filtered_query_only(staff, people):
    url = f"/contacts/bulk?city={people['oslo_city'].id}&page=2"
    # only one id ticked on the page, but "all matching" re-runs the filter: the 25 living Oslo contacts
    data = {"action": "add_tag", "tag": "speaker", "all_matching": "y", "ids": [str(people["lyon"][0].id)]}
    response = staff.post(url, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Change 25 contacts?" in html and "Confirm: apply to 25" in html
    assert 'name="confirmed" type="hidden" value="yes"' in html and 'name="all_matching" value="y"' in html
    assert all(tags == ["expert"] for tags in list(_tags(people["oslo"]).values())[3:])  # nothing yet
    assert not AuditEntry.select().where(AuditEntry.action == "contact.bulk_tag").exists()
    response = staff.post(url, data=dict(data, confirmed="yes"), follow_redirects=True)
    assert "Tagged 22 contacts “speaker”; 3 already had it." in response.get_data(as_text=True)
    assert all("speaker" in t or "Speaker" in t for t in _tags(people["oslo"]).values())
    assert all(t == [] for t in _tags(people["lyon"]).values())  # outside the filter, even the ticked one
    assert Contact.get_by_id(people["erased"].id).tags == []
    entry = AuditEntry.get(AuditEntry.action == "contact.bulk_tag")
    assert entry.changes["count"] == 22 and len(entry.changes["ids"]) == 22


def test_confirmation_of_ticked_rows_keeps_the_ids(staff, people):
    ids = [str(c.id) for c in people["oslo"][3:25]]  # 22 ticked
    html = staff.post("/contacts/bulk", data={"action": "remove_tag", "tag": "expert", "ids": ids}).get_data(as_text=True)
    assert "The tag <strong>“expert”</strong> will be removed from 22 contacts" in html
    assert html.count('name="ids"') == 22
    response = staff.post("/contacts/bulk", data={"action": "remove_tag", "tag": "EXPERT", "ids": ids,
                                                  "confirmed": "yes"}, follow_redirects=True)
    assert "Removed the tag “EXPERT” from 22 contacts." in response.get_data(as_text=True)
    tags = _tags(people["oslo"])
    assert all(tags[int(i)] == [] for i in ids) and tags[people["oslo"][1].id] == ["speaker", "expert"]
    assert AuditEntry.get(AuditEntry.action == "contact.bulk_untag").changes["count"] == 22


def test_twenty_rows_need_no_confirmation(staff, people):
    ids = [str(c.id) for c in people["oslo"][5:25]]
    response = staff.post("/contacts/bulk", data={"action": "add_tag", "tag": "x", "ids": ids})
    assert response.status_code == 302 and all(Contact.get_by_id(int(i)).tags == ["expert", "x"] for i in ids)


def test_a_tag_is_required_and_nothing_changes_without_one(staff, people):
    ids = [str(c.id) for c in people["lyon"]]
    html = staff.post("/contacts/bulk", data={"action": "add_tag", "tag": "  ", "ids": ids},
                      follow_redirects=True).get_data(as_text=True)
    assert "Enter the tag to add or remove." in html and all(t == [] for t in _tags(people["lyon"]).values())
    html = staff.post("/contacts/bulk", data={"action": "add_tag", "tag": "x"}, follow_redirects=True).get_data(as_text=True)
    assert "Tick the contacts to act on first" in html


def test_add_to_mailing_list_skips_the_unsubscribed(staff, people):
    from crm.mailings.models import MailingList, Subscription
    from crm.mailings.services import ensure_default_lists, is_subscribed, subscribe, unsubscribe

    ensure_default_lists()
    events = MailingList.get(MailingList.slug == "events")
    lyon = people["lyon"]
    subscribe(lyon[0], events)                      # already on it
    unsubscribe(lyon[1], events)                    # left this list
    unsubscribe(lyon[2], None)                      # left all mail
    ids = [str(c.id) for c in lyon]
    response = staff.post(f"/contacts/bulk?city={people['lyon_city'].id}",
                          data={"action": "subscribe", "mailing_list": str(events.id), "ids": ids})
    assert response.headers["Location"].endswith(f"/contacts/?city={people['lyon_city'].id}")
    html = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert ("Added 2 contacts to Events; 1 were already on it; 2 skipped: they unsubscribed (from this list or "
            "from all mail)") in html
    assert [is_subscribed(c, events) for c in lyon] == [True, False, False, True, True]
    assert not Subscription.select().where(Subscription.contact.in_([lyon[1].id, lyon[2].id])).exists()
    entry = AuditEntry.get(AuditEntry.action == "mailing_list.bulk_subscribe")
    assert entry.object_id == str(events.id) and entry.changes["ids"] == [lyon[3].id, lyon[4].id]
    assert entry.changes["skipped_unsubscribed"] == [lyon[1].id, lyon[2].id]


def test_export_of_the_selection(staff, people):
    ids = [str(people["oslo"][0].id), str(people["lyon"][1].id)]
    response = staff.post("/contacts/bulk?excel=1", data={"action": "export", "ids": ids})
    assert response.mimetype == "text/csv" and response.get_data(as_text=True).startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["name", "email", "position"] and len(rows) == 3
    assert {r[0] for r in rows[1:]} == {"Oslo Person 00", "Lyon Person 1"} and rows[1][5] in ("Oslo", "Lyon")
    entry = AuditEntry.get(AuditEntry.action == "contact.bulk_export")
    assert entry.changes["count"] == 2 and json.loads(entry.changes_json)["ids"]


def test_all_matching_export_follows_the_filter(staff, people):
    response = staff.post(f"/contacts/bulk?city={people['lyon_city'].id}",
                          data={"action": "export", "all_matching": "y"})
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert [r[0] for r in rows[1:]] == [f"Lyon Person {n}" for n in range(5)]


def test_the_list_shows_checkboxes_and_all_matching_only_when_there_are_more_pages(staff, people):
    html = staff.get(f"/contacts/?city={people['lyon_city'].id}").get_data(as_text=True)
    assert html.count('name="ids"') == 5 and "data-check-all" in html and "matching contacts" not in html
    assert f'action="/contacts/bulk?city={people["lyon_city"].id}"' in html
    for n in range(50):
        Contact.create(name=f"More {n}", name_key=f"more {n}", city=people["lyon_city"])
    html = staff.get(f"/contacts/?city={people['lyon_city'].id}").get_data(as_text=True)
    assert "Select all 55 matching contacts" in html


@pytest.mark.parametrize("role", ["member", None])
def test_members_and_visitors_cannot_act(login_as, client, people, role):
    user = login_as(role) if role else client
    ids = [str(c.id) for c in people["lyon"]]
    for data in ({"action": "add_tag", "tag": "x", "ids": ids}, {"action": "export", "all_matching": "y"}):
        response = user.post("/contacts/bulk", data=data)
        assert response.status_code == (403 if role else 302)
        assert b"Lyon Person" not in response.data
    assert all(t == [] for t in _tags(people["lyon"]).values())
    assert not AuditEntry.select().where(AuditEntry.action.startswith("contact.bulk")).exists()
    if role:
        assert "Apply to the chosen" not in user.get("/cities/").get_data(as_text=True)
