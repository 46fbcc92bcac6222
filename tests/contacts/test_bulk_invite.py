"""Bulk "invite to an event" on the contact list: the chosen contacts open the event's own invitation flow
(preselected, previewed and confirmed there), never a second way of sending invitations."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from crm.contacts import bulk
from crm.contacts.models import Contact
from crm.db import utcnow
from crm.events.models import Event, Invitation
from crm.mail import OutboxMail
from crm.membership.models import City


def _event(title, days, status="published"):
    start = (utcnow() + dt.timedelta(days=days)).replace(microsecond=0)
    return Event.create(title=title, kind="workshop", timezone="Europe/Oslo", starts_at=start,
                        ends_at=start + dt.timedelta(hours=8), capacity=40, status=status, visibility="members")


@pytest.fixture
def world(app):
    oslo = City.create(name="Oslo", name_key="oslo", country="NO", region="northern_europe")
    people = [Contact.create(name=f"Speaker {n:02}", name_key=f"speaker {n:02}", email=f"s{n}@oslo.example.org",
                             city=oslo, tags=["speaker"]) for n in range(8)]
    refusing = Contact.create(name="Speaker Refusing", name_key="speaker refusing", email="no@oslo.example.org",
                              city=oslo, tags=["speaker"], do_not_contact=True)
    other = Contact.create(name="Quiet Person", name_key="quiet person", email="q@oslo.example.org", city=oslo)
    erased = Contact.create(name="Erased contact #1", name_key="erased", city=oslo, tags=["speaker"],
                            erased_at=utcnow())
    return {"people": people, "refusing": refusing, "other": other, "erased": erased, "city": oslo,
            "event": _event("Recovery workshop", 20), "draft": _event("Planning meeting", 40, status="draft"),
            "past": _event("Last year's forum", -30), "cancelled": _event("Called off", 10, status="cancelled")}


def _selection(response) -> list[int]:
    parts = urlsplit(response.headers["Location"])
    return [int(i) for i in parse_qs(parts.query)["selection"][0].split(",")]


def test_the_bulk_bar_offers_only_upcoming_events_to_invite_to(staff, world):
    html = staff.get("/contacts/").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="event".*?</select>', html, re.S).group(0)
    assert re.findall(r'<option value="(\d+)"', select) == [str(world["event"].id), str(world["draft"].id)]
    assert "Recovery workshop (" in select and "Last year" not in select and "Called off" not in select
    assert '<option value="invite">Invite to an event</option>' in html


def test_ticked_contacts_open_the_events_invitation_page_preselected_then_preview_and_confirm(staff, world, smtp):
    event, chosen = world["event"], [*world["people"][:6], world["refusing"]]
    response = staff.post("/contacts/bulk?tag=speaker", data={"action": "invite", "event": str(event.id),
                                                              "ids": [str(c.id) for c in chosen]})
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == f"/events/{event.id}/invite"
    assert sorted(_selection(response)) == sorted(c.id for c in chosen)
    assert Invitation.select().count() == 0  # nothing is sent from the contact list
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    ticked = set(re.findall(r'name="contacts" value="(\d+)"[^>]*checked', page))
    assert ticked == {str(c.id) for c in world["people"][:6]}  # the one who asked not to be contacted is not
    assert "Cannot invite: asked not to be contacted" in page
    assert "Quiet Person" not in page and "Speaker 07" not in page  # only the selection is shown
    assert "Showing the 7 contacts chosen on the contact list" in page
    # The event's own flow: more than a few people → a preview with the count, then the confirmation.
    data = {"contacts": sorted(ticked), "selection": ",".join(str(c.id) for c in chosen), "message": "Join us."}
    preview = staff.post(f"/events/{event.id}/invite", data=data)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Send 6 invitations?" in html and "Nothing has been sent yet" in html
    assert Invitation.select().count() == 0 and OutboxMail.select().count() == 0
    assert f'name="selection" value="{data["selection"]}"' in html  # the selection is kept through the flow
    sent = staff.post(f"/events/{event.id}/invite", data={**data, "confirmed": "yes"})
    assert sent.status_code == 302 and "selection=" in sent.headers["Location"]
    assert sorted(i.contact_id for i in Invitation.select()) == sorted(c.id for c in world["people"][:6])
    assert sorted(m.recipient for m in OutboxMail.select()) == sorted(c.email for c in world["people"][:6])


def test_all_matching_contacts_are_brought_without_the_erased_ones(staff, world):
    response = staff.post("/contacts/bulk?tag=speaker", data={"action": "invite", "event": str(world["draft"].id),
                                                              "all_matching": "y"})
    expected = [*world["people"], world["refusing"]]
    assert sorted(_selection(response)) == sorted(c.id for c in expected)
    assert world["erased"].id not in _selection(response) and world["other"].id not in _selection(response)


def test_an_event_must_be_chosen_and_a_selection_too_large_is_refused(staff, world, monkeypatch):
    no_event = staff.post("/contacts/bulk", data={"action": "invite", "event": "",
                                                  "ids": [str(world["other"].id)]}, follow_redirects=True)
    assert "Choose the event to invite them to." in no_event.get_data(as_text=True)
    past = staff.post("/contacts/bulk", data={"action": "invite", "event": str(world["past"].id),
                                              "ids": [str(world["other"].id)]}, follow_redirects=True)
    assert "Choose the event to invite them to." in past.get_data(as_text=True)
    monkeypatch.setattr(bulk, "INVITE_AT_MOST", 3)
    too_many = staff.post("/contacts/bulk?tag=speaker", data={"action": "invite", "event": str(world["event"].id),
                                                              "all_matching": "y"})
    assert too_many.status_code == 302 and urlsplit(too_many.headers["Location"]).path == "/contacts/"
    assert "Invite at most 3 people at once (9 are chosen)" in staff.get("/contacts/").get_data(as_text=True)
    assert Invitation.select().count() == 0


def test_a_member_cannot_use_the_bulk_invitation(login_as, world):
    member = login_as("member")
    assert member.post("/contacts/bulk", data={"action": "invite", "event": str(world["event"].id),
                                               "ids": [str(world["other"].id)]}).status_code == 403
    assert member.get(f"/events/{world['event'].id}/invite?selection={world['other'].id}").status_code == 403
