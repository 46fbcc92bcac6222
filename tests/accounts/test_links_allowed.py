"""Pages link only to pages their reader may open: one helper (``can_open``, read from the role decorators)."""

import re

import pytest

from crm import seeding
from crm.events.models import Event
from tests.helpers import linked_paths

SKIP = re.compile(r"/(logout|static/)|\.(ics|csv|json)(\?|$)|/export|/api/")


def test_history_of_an_event_is_linked_only_for_those_who_may_open_it(login_as, make_user):
    from crm.db import utcnow

    start = utcnow()
    event = Event.create(title="Forum", kind="workshop", timezone="UTC", starts_at=start, ends_at=start,
                         status="published", visibility="members")
    staff, admin = login_as("staff"), login_as("admin")
    assert "History of this event" not in staff.get(f"/events/{event.id}").get_data(as_text=True)
    assert staff.get(f"/audit/?object_type=Event&object_id={event.id}").status_code == 403
    html = admin.get(f"/events/{event.id}").get_data(as_text=True)
    link = re.search(r'href="([^"]+)">History of this event', html).group(1).replace("&amp;", "&")
    assert admin.get(link).status_code == 200


def test_can_open_reads_the_role_decorators(app, make_user):
    from crm.accounts.access import can_open

    staff, member, admin = make_user("staff"), make_user("member"), make_user("admin")
    with app.test_request_context():
        assert can_open("audit.log", admin) and not can_open("audit.log", staff)
        assert can_open("membership.application_list", staff) and not can_open("membership.application_list", member)
        assert can_open("membership.apply", member) and not can_open("no.such_endpoint", admin)


@pytest.mark.parametrize("role", ["staff", "member"])
def test_no_link_on_reachable_pages_leads_to_a_403(app, login_as, role):
    seeding.run(demo=True)
    client = login_as(role)
    if role == "member":
        from crm.membership.models import City

        client.user.city = City.select().order_by(City.id).first().id
        client.user.save()
    seen, queue, forbidden, referrer = set(), ["/", "/events/"], [], {}
    while queue and len(seen) < 150:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code == 403:
            forbidden.append((url, referrer.get(url)))
        if response.mimetype != "text/html" or response.status_code != 200:
            continue
        for path in linked_paths(url, response.get_data(as_text=True), SKIP):
            if path not in seen:
                referrer.setdefault(path, url)
                queue.append(path)
    assert forbidden == []
