"""The first user journey in a real browser: staff sign in and land on the dashboard."""

import re

import pytest

from crm import seeding
from tests.helpers import demo_login, linked_paths, login, sign_in_page

pytestmark = pytest.mark.browser


def test_staff_sign_in_and_land_on_the_dashboard(page, make_user, tmp_path):
    user = make_user("staff", email="desk@example.org", name="Desk Officer")
    page.goto("/")
    page.get_by_role("button", name="Sign in").first.click()
    page.wait_for_url("**/account/login")
    page.get_by_label("Email").fill("desk@example.org")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    assert page.get_by_text("The email address or the password is not right").is_visible()
    assert page.get_by_label("Email").input_value() == "desk@example.org"
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    assert page.get_by_role("heading", level=1).inner_text() == "Dashboard"
    assert page.get_by_text(f"Welcome, {user.name}.").is_visible()
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    # A phone-sized screen still shows the navigation and the heading.
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(tmp_path / "dashboard-phone.png"), full_page=True)
    assert page.get_by_role("button", name="Sign out").is_visible()
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_text("You are signed out.").is_visible()


# --- the Content-Security-Policy holds on the app's own pages --------------------------------------

SKIP = re.compile(r"/(logout|static/)|\.(ics|csv|json)(\?|$)|/export|/api/|/feed")


def _test_client_login(app, email, password):
    """Sign a test client in (the ``page`` fixture turned CSRF on for the browser's real forms)."""
    client = app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        assert login(client, email, password).status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    return client


def _one_page_per_route(client, limit=200, per_role=45) -> list[str]:
    """Crawl the demo network with the test client; keep one HTML page per URL shape (ids as N)."""
    seen, queue, shapes = set(), ["/"], {}
    while queue and len(seen) < limit and len(shapes) < per_role:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        shapes.setdefault(re.sub(r"\d+", "N", url), url)
        queue += [path for path in linked_paths(url, response.get_data(as_text=True), SKIP) if path not in seen]
    return list(shapes.values())


@pytest.mark.parametrize("who", ["anonymous", "member", "staff", "admin"])
def test_no_page_breaks_the_content_security_policy(page, app, who):
    """Each kind of page, as each role, renders with no CSP violation in the console (inline code is gone)."""
    seeding.run(demo=True)
    client = app.test_client()
    if who != "anonymous":
        email, password = demo_login(who)
        client = _test_client_login(app, email, password)
    paths = _one_page_per_route(client)
    assert len(paths) > (3 if who == "anonymous" else 15), paths
    if who == "staff":
        paths += [p for p in _printable_pages(client)]
    problems = []
    page.on("console", lambda m: problems.append(f"{page.url}: {m.text}")
            if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: problems.append(f"{page.url}: {e}"))
    if who != "anonymous":
        sign_in_page(page, email, password)
    for path in paths:
        response = page.goto(path)
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path
    assert problems == []


def _printable_pages(client) -> list[str]:
    """The participant list and badges of one demo event, which have their own print stylesheet."""
    html = client.get("/events/").get_data(as_text=True)
    event = re.search(r'href="/events/(\d+)"', html)
    return [f"/events/{event.group(1)}/print", f"/events/{event.group(1)}/badges?paper=letter"] if event else []


def test_the_delete_button_asks_first_without_inline_script(page, app, make_user):
    """``data-confirm`` (crm/static/js/app.js) replaces ``onsubmit``: dismissing the question keeps the incident."""
    seeding.run(demo=True)
    email, password = demo_login("staff")
    client = _test_client_login(app, email, password)
    incident = re.search(r'href="(/incidents/\d+)"', client.get("/incidents/").get_data(as_text=True))
    assert incident, "the demo network has incidents"
    sign_in_page(page, email, password)
    page.goto(incident.group(1))
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Delete the incident").click()
    page.wait_for_timeout(300)
    assert asked == ["Delete this incident?"]
    assert page.url.endswith(incident.group(1))
    assert client.get(incident.group(1)).status_code == 200


def test_printable_pages_take_their_paper_size_from_the_stylesheet(page, app):
    """The @page rules moved from inline <style> to named pages in print.css: a PDF print has the right size."""
    seeding.run(demo=True)
    email, password = demo_login("staff")
    client = _test_client_login(app, email, password)
    list_a4, badges_letter = _printable_pages(client)
    sign_in_page(page, email, password)
    sizes = {}
    for path in (list_a4, badges_letter):
        page.goto(path)
        pdf = page.pdf(prefer_css_page_size=True)
        box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
        sizes[path] = (round(float(box.group(1))), round(float(box.group(2))))
    assert sizes == {list_a4: (595, 842), badges_letter: (612, 792)}
