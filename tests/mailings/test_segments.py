"""Segments: saved filters of contacts and cities; a mailing to one reaches exactly its consenting contacts."""

import datetime as dt
import re

import pytest

from crm.contacts.models import Contact
from crm.db import utcnow
from crm.events.models import Event, Registration
from crm.mailings import segments, services
from crm.mailings.models import Delivery, MailBounce, Mailing, Segment
from crm.membership.models import City


def _html(response) -> str:
    return " ".join(response.get_data(as_text=True).split())


@pytest.fixture
def network(app, lists):
    """Police contacts of Western Europe, each kept out for another reason, and two outside the filter."""
    lyon = City.create(name="Lyon", name_key="lyon", country="FR", region="western_europe", languages=["fr"],
                       expertise=["victim_support"])
    ghent = City.create(name="Ghent", name_key="ghent", country="BE", region="western_europe", status="suspended",
                        languages=["nl", "fr"], expertise=["vigils_gatherings"])
    denver = City.create(name="Denver", name_key="denver", country="US", region="north_america", languages=["en"])

    def make(key, city, sector="law_enforcement", email=True, **values):
        return Contact.create(name=f"{key.title()} Example", name_key=f"{key} example", city=city, sector=sector,
                              email=f"{key}@example.org" if email else None, **values)

    people = {
        "ana": make("ana", lyon, languages=["es"]),
        "ben": make("ben", ghent),
        "carl": make("carl", lyon, do_not_contact=True),
        "dora": make("dora", lyon, accepts_network_news=False),
        "eve": make("eve", ghent),
        "fay": make("fay", lyon),
        "gus": make("gus", lyon, email=False),
        "hal": make("hal", denver),  # another region
        "ivy": make("ivy", lyon, sector="city_government"),  # another sector
    }
    services.unsubscribe(people["eve"], None, how="preferences")  # stopped all mail
    for n in range(3):  # three hard bounces: CRM_MAIL_BOUNCE_LIMIT
        MailBounce.create(email="fay@example.org", report_id=f"<r{n}@mx>", action="failed", status="5.1.1", hard=True)
    return people


def test_staff_save_a_segment_and_a_mailing_to_it_reaches_exactly_the_consenting_contacts_once(
        staff, lists, network, smtp):
    saved = staff.post("/mailings/segments/new", data={
        "name": "Police in Western Europe", "mailing_list": lists["network-news"].id,
        "regions": ["western_europe"], "sectors": ["law_enforcement"]})
    assert saved.status_code == 302, _html(saved)
    segment = Segment.get(Segment.name == "Police in Western Europe")
    assert segment.filters == {"regions": ["western_europe"], "sectors": ["law_enforcement"]}

    detail = _html(staff.get(f"/mailings/segments/{segment.id}"))
    assert "Region: Western Europe; Sector: Law enforcement" in detail
    summary = "2 will get it; 5 will not: 1 unsubscribed, 1 do not contact, 1 no consent, 1 bouncing, 1 no email."
    assert summary in detail
    reasons = detail.split('id="skipped"', 1)[1]
    for reason, name in [("unsubscribed", "Eve"), ("do_not_contact", "Carl"), ("no_consent", "Dora"),
                         ("bouncing", "Fay"), ("no_email", "Gus")]:
        section = reasons.split(f'id="skipped-{reason}">', 1)[1].split("</ul>", 1)[0]
        assert f"{name} Example" in section, (reason, section)
    assert "Hal Example" not in detail and "Ivy Example" not in detail

    composed = staff.post("/mailings/new", data={"mailing_list": f"segment-{segment.id}",
                                                 "subject": "For {{ first_name }}", "body": "Hello {{ city }}."})
    assert composed.status_code == 302, _html(composed)
    mailing = Mailing.get()
    assert (mailing.segment_id, mailing.mailing_list_id) == (segment.id, lists["network-news"].id)
    confirm = _html(staff.get(f"/mailings/{mailing.id}/send"))
    assert "To Police in Western Europe (segment of Network news)." in confirm
    assert summary in confirm and "Queue it for 2 recipient(s)" in confirm
    assert smtp.messages == []

    assert "2 mail(s) queued." in _html(staff.post(f"/mailings/{mailing.id}/send", follow_redirects=True))
    assert sorted(a for m in smtp.messages for a in m.envelope_to) == ["ana@example.org", "ben@example.org"]
    for message in smtp.messages:
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert re.fullmatch(r"<http://127\.0\.0\.1:5000/mailings/u/[^>]+>, <mailto:[^>]+\?subject=unsubscribe%20[^>]+>",
                            str(message["List-Unsubscribe"]))
    assert smtp.last_to("ben@example.org")["Subject"] == "For Ben"
    assert services.queue_mailing(mailing) == 0  # sent again: nobody twice
    assert Delivery.select().where(Delivery.mailing == mailing).count() == 2


def test_a_segment_name_is_unique_and_the_form_keeps_what_was_typed(staff, lists, network):
    segments.save_segment(None, name="Police", mailing_list=lists["events"], filters={"sectors": ["law_enforcement"]})
    again = staff.post("/mailings/segments/new", data={"name": "police", "mailing_list": lists["events"].id,
                                                      "regions": ["north_america"]})
    html = _html(again)
    assert again.status_code == 200 and "A segment called “police” already exists" in html
    assert 'value="north_america" checked' in html
    assert Segment.select().count() == 1


def test_filters_city_status_language_expertise_and_chosen_contacts(app, lists, network):
    def names(**filters):
        return [c.name.split()[0].lower() for c in segments.matching_contacts(segments.clean_filters(filters))]

    assert names(statuses=["suspended"]) == ["ben", "eve"]
    # Ana speaks Spanish herself; the others of Lyon speak their city's French, Ghent's people Dutch or French.
    assert names(languages=["es"]) == ["ana"]
    assert "ana" not in names(languages=["fr"]) and {"ben", "carl", "ivy"} <= set(names(languages=["fr"]))
    assert names(languages=["nl"]) == ["ben", "eve"]
    assert names(expertise=["vigils_gatherings"]) == ["ben", "eve"]
    assert names(contacts=[str(network["hal"].id), str(network["ana"].id)]) == ["ana", "hal"]
    assert names(regions=["north_america"], sectors=["law_enforcement"]) == ["hal"]
    assert len(names()) == 9  # no filter: everyone (consent decides later)


def test_attended_an_event_in_the_last_year(app, lists, network):
    now = utcnow()

    def event(days_ago):
        starts = now - dt.timedelta(days=days_ago)
        return Event.create(title=f"Workshop {days_ago}", starts_at=starts, ends_at=starts + dt.timedelta(hours=3))

    recent, old, upcoming = event(30), event(400), event(-10)
    Registration.create(event=recent, contact=network["ana"], status="registered", checked_in_at=recent.starts_at)
    Registration.create(event=recent, contact=network["ben"], status="registered")  # registered, never came
    Registration.create(event=old, contact=network["hal"], status="registered", checked_in_at=old.starts_at)
    Registration.create(event=upcoming, contact=network["ivy"], status="registered", checked_in_at=now)
    found = segments.matching_contacts({"attended_last_year": True})
    assert [c.name for c in found] == ["Ana Example"]


def test_create_draft_to_chosen_contacts_still_respects_consent(app, lists, network, smtp):
    chosen = [network["ana"], network["carl"], network["dora"], network["hal"]]
    mailing = services.create_draft("Solidarity", "Thinking of {{ city }}.", recipients=chosen)
    assert mailing.is_draft and mailing.segment.mailing_list.slug == "network-news"
    found = services.mailing_audience(mailing)
    assert [c.name for c in found.recipients] == ["Ana Example", "Hal Example"]
    assert found.summary() == "2 will get it; 2 will not: 1 do not contact, 1 no consent."
    # Two drafts with the same subject get two segments.
    assert services.create_draft("Solidarity", "Again", recipients=[network["ben"]]).segment.name.endswith("(2)")
    with pytest.raises(services.MailingError, match="at least one recipient"):
        services.create_draft("Empty", "Nobody", recipients=[])
    services.queue_mailing(mailing)
    services.send_queued_mailings(rate=0)
    assert sorted(a for m in smtp.messages for a in m.envelope_to) == ["ana@example.org", "hal@example.org"]
