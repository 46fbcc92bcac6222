"""axe-core (bundled by axe-playwright-python) on the pages each role uses: no serious or critical violation.

The crawl of ``tests/test_browser.py`` picks one page of each URL shape of the demo network per role; axe runs
in the real browser on each, after the page's own script has run.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from crm import seeding
from tests.helpers import sign_in_page
from tests.test_browser import _one_page_per_route, _test_client_login

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}


def _violations(axe: Axe, page) -> list[str]:
    """The serious and critical axe violations of the page now shown, one line each."""
    results = axe.run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
            found.append(f"{page.url}: {violation['id']} ({violation['impact']}): {violation['help']} [{targets}]")
    return found


@pytest.mark.parametrize("who", ["anonymous", "member", "staff", "admin"])
def test_key_pages_have_no_serious_accessibility_violation(page, app, who):
    seeding.run(demo=True)
    client = app.test_client()
    if who != "anonymous":
        email, password = {role: (e, p) for role, e, _n, p in seeding.DEMO_LOGINS}[who]
        client = _test_client_login(app, email, password)
        sign_in_page(page, email, password)
    axe, problems = Axe(), []
    if who != "anonymous":
        problems += _violations(axe, page)  # the home page with its "Welcome" message (flashes are checked too)
    paths = _one_page_per_route(client, per_role=25)
    assert len(paths) > (3 if who == "anonymous" else 10), paths
    for path in paths:
        page.goto(path)
        problems += _violations(axe, page)
    assert problems == [], "\n".join(problems)


def test_the_check_sees_a_violation_when_there_is_one(page, live_server):
    """The same check, on a page of the app with an image and a button stripped of their names, fails."""
    page.goto("/account/login")
    page.evaluate("""() => {
        document.querySelector('main').insertAdjacentHTML('beforeend', '<img src="/static/x.png"><button></button>');
    }""")
    found = _violations(Axe(), page)
    assert any("image-alt" in line for line in found), found
    assert any("button-name" in line for line in found), found
