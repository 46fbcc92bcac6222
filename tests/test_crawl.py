"""Every page a user can reach by following links, on the demo network, renders without a server error."""

import re

import pytest

from crm import seeding
from tests.helpers import demo_login, linked_paths, login

SKIP = re.compile(r"/(logout|static/)|\.(ics|csv|json)(\?|$)|/export|/api/")


def _crawl(client, limit=400):
    seen, queue, failures = set(), ["/"], []
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code >= 500:
            failures.append((url, response.status_code))
        if response.mimetype != "text/html" or response.status_code != 200:
            continue
        queue += [path for path in linked_paths(url, response.get_data(as_text=True), SKIP) if path not in seen]
    return seen, failures


@pytest.fixture
def demo(app):
    seeding.run(demo=True)


@pytest.mark.slow
@pytest.mark.parametrize("who", ["anonymous", "member", "staff", "admin"])
def test_no_reachable_page_fails(app, demo, who):
    client = app.test_client()
    if who != "anonymous":
        email, password = demo_login(who)
        assert login(client, email, password).status_code == 302
    seen, failures = _crawl(client)
    assert failures == []
    assert len(seen) > (5 if who == "anonymous" else 40), len(seen)
