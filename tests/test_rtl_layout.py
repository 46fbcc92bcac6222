"""Issue 13: the Arabic interface mirrors right to left, on a desktop (1280 px) and a phone (390 px).

A screenshot set of each role's key pages on the demo network, to look at: written to the test's tmp folder,
and also to ``$CRM_SCREENSHOTS`` when set (``CRM_SCREENSHOTS=/tmp/rtl .venv/bin/python -m pytest
tests/test_rtl_layout.py``). Each page must say ``dir="rtl"``, never scroll sideways, and start its main
navigation (the brand) at the right; some pages also check what must read from the right (charts, arrows) or
keep its own direction (text users wrote).
"""

from __future__ import annotations

import os

import pytest

from crm import indexing, seeding
from crm.accounts.models import User
from crm.events.models import Event, Registration
from crm.membership.models import City
from crm.workspace.services import open_workspace
from tests.helpers import demo_login, sign_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTHS = (1280, 390)

# Where the layout breaks: the page scrolls sideways, or something sticks out of the window where no scroll reaches
# (in Arabic, what passes the right edge is cut off, not scrollable). Names the element reaching furthest out;
# what a scrolling box (a wide table's) holds, and what is outside on purpose (the skip link), is fine.
OVERFLOW = """() => {
  const limit = window.innerWidth;
  const clipped = el => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return true;
    }
    return false;
  };
  let worst = null;
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    const out = Math.max(r.right - limit, -r.left);
    const hidden = r.right <= 0 || r.left >= limit;
    if (r.width && !hidden && out > 1 && (!worst || out > worst.out) && !clipped(el)) {
      worst = {out, tag: el.tagName, cls: el.className && String(el.className), text: (el.innerText || '').slice(0, 60)};
    }
  }
  const scrolls = document.scrollingElement.scrollWidth > limit + 1;
  return scrolls || worst ? {scrollWidth: document.scrollingElement.scrollWidth, innerWidth: limit, worst} : null;
}"""

# What must mirror on some pages, beyond the frame: each a script that is true when the page reads from the right.
MIRRORED = {
    # a bar of the attendance table grows from the right edge of its drawing (the last, shortest one)
    "staff-reports": """() => {const svg = [...document.querySelectorAll('td > svg[role=img]')].pop(),
        box = svg.getBoundingClientRect(), bar = svg.querySelector('rect').getBoundingClientRect();
        return Math.abs(bar.right - box.right) < 1.5 && bar.left - box.left > 10;}""",
    # an event's chart: the city's name on the right of its bar, the legend's square on the right of its word
    "staff-report": """() => {const svg = document.querySelector('svg.chart');
        const texts = svg.querySelectorAll('text'), rects = svg.querySelectorAll('rect');
        const label = texts[3].getBoundingClientRect(), bar = rects[3].getBoundingClientRect();
        return label.left >= bar.right - 1 && rects[0].getBoundingClientRect().left > texts[0].getBoundingClientRect().right - 1;}""",
    # the way back to the event points to the right, where Arabic starts, and stands at the right of the link
    "staff-check-in": """() => {const arrow = document.querySelector('main a .arrow'), link = arrow.closest('a');
        return getComputedStyle(arrow).transform.startsWith('matrix(-1')
            && arrow.getBoundingClientRect().right > link.getBoundingClientRect().right - 2;}""",
    # the event's English description reads left to right inside the Arabic page (its full stop at the end)
    "staff-event": """() => getComputedStyle(document.querySelector('.user-text')).direction === 'ltr'""",
    # so does the French description of the workspace: its first word starts at the left
    "member-workspace": """() => {const quote = document.querySelector('.workspace-description'), range = document.createRange();
        range.setStart(quote.firstChild, 0); range.setEnd(quote.firstChild, 1);
        return range.getBoundingClientRect().left - quote.getBoundingClientRect().left < 40;}""",
    # a city's timeline hangs from a line on the right
    "staff-journey": """() => {const entry = getComputedStyle(document.querySelector('.journey-entry'));
        return entry.borderRightWidth === '3px' && entry.borderLeftWidth === '0px';}""",
    # the years of the new-members chart run from right to left
    "staff-dashboard": """() => {const bars = [...document.querySelectorAll('svg.chart rect')]
        .map(r => r.getBoundingClientRect().left);
        return bars.length > 1 && bars[0] > bars[bars.length - 1];}""",
}

# Printable pages: no site navigation.
PRINTED = {"staff-print-list", "staff-badges"}


@pytest.fixture
def demo_network(app):
    """The demo network, its member signed in as Arabic-speaking, with an incident workspace open."""
    seeding.run(demo=True)
    for role in ("member", "staff"):
        User.update(language="ar").where(User.email == demo_login(role)[0]).execute()
    member = User.get(User.email == demo_login("member")[0])
    workspace = open_workspace(City.get_by_id(member.city_id), {
        "description": "Une voiture a foncé sur la foule du marché de Noël ; trois morts et des dizaines de blessés.",
        "title": "Attaque au marché de Noël", "phase": "first_week"}, actor=member)
    assert indexing.apply_pending(wait=True) is not None
    event = (Event.select().join(Registration).group_by(Event.id)
             .order_by(Event.id).first())  # an event with participants to list and check in
    city = City.select().where(City.status == "active").order_by(City.id).first()
    return {"workspace": workspace, "event": event, "city": city}


def _pages(network):
    event, city, workspace = network["event"].id, network["city"].id, network["workspace"].id
    return {
        None: [("directory", "/members/"), ("apply", "/apply"), ("lessons", "/lessons/"),
               ("toolkit", "/lessons/toolkit/")],
        "member": [("home", "/"), ("workspace", f"/workspace/{workspace}")],
        "staff": [("dashboard", "/dashboard"), ("cities", "/cities/"), ("city", f"/cities/{city}"),
                  ("journey", f"/cities/{city}/journey"),
                  ("event", f"/events/{event}"), ("participants", f"/events/{event}/participants"),
                  ("check-in", f"/events/{event}/check-in"), ("contacts", "/contacts/"),
                  ("report", f"/events/{event}/report"), ("reports", "/events/reports"),
                  ("print-list", f"/events/{event}/print"), ("badges", f"/events/{event}/badges")],
    }


def _problems(page, name, width) -> list[str]:
    """What is wrong with the page's right-to-left layout (an empty list when nothing is)."""
    problems = []
    if (page.locator("html").get_attribute("dir"), page.locator("html").get_attribute("lang")) != ("rtl", "ar"):
        problems.append(f"{name}: not marked as Arabic, right to left")
    overflow = page.evaluate(OVERFLOW)
    if overflow is not None:
        problems.append(f"{name} at {width} px is wider than the window: {overflow}")
    # the main navigation reads from the right: its first item (the brand) ends at the right edge
    inner = page.evaluate("window.innerWidth")
    if name in PRINTED:  # no navigation: the first line of the table (its first column) is on the right
        heads = page.evaluate("[...document.querySelectorAll('table.sheet thead th')].map(th => th.offsetLeft)")
        if heads and not heads[0] > heads[-1]:
            problems.append(f"{name}: the list's first column is not on the right")
    else:
        brand = page.locator("header.site nav ul:first-of-type li").first.bounding_box()
        if not (brand["x"] + brand["width"] > inner * 0.85 and brand["x"] > inner / 2 - brand["width"]):
            problems.append(f"{name}: the main navigation's first item is not at the right ({brand})")
    if name in MIRRORED and not page.evaluate(MIRRORED[name]):
        problems.append(f"{name}: what MIRRORED checks on it does not read in its direction")
    return problems


@pytest.mark.parametrize("width", WIDTHS)
def test_arabic_pages_mirror_at_each_width(browser, live_server, app, demo_network, tmp_path, width):
    app.config["WTF_CSRF_ENABLED"] = True
    folders = [str(tmp_path / "rtl-ar")]
    if os.environ.get("CRM_SCREENSHOTS"):
        folders.append(os.environ["CRM_SCREENSHOTS"])
    for folder in folders:
        os.makedirs(folder, exist_ok=True)
    checked, problems = [], []
    for role, pages in _pages(demo_network).items():
        # Visitors get Arabic from their browser; signed-in users from their stored choice (so the
        # English sign-in page of helpers.sign_in_page works, and the stored choice is what is tested).
        context = browser.new_context(base_url=live_server.url, locale="ar" if role is None else "en-GB",
                                      viewport={"width": width, "height": 844 if width < 600 else 900})
        context.set_default_timeout(15_000)
        try:
            page = context.new_page()
            if role is not None:
                sign_in_page(page, *demo_login(role))
            for name, path in pages:
                response = page.goto(path)
                if response.status != 200:
                    problems.append(f"{path} answered {response.status}")
                    continue
                name = f"{role or 'public'}-{name}"
                # first the picture (the top 2,400 px of long lists), to look at even when a check fails
                height = min(2400, page.evaluate("document.scrollingElement.scrollHeight"))
                for folder in folders:
                    page.screenshot(path=os.path.join(folder, f"ar-{width}-{name}.png"), full_page=True,
                                    clip={"x": 0, "y": 0, "width": width, "height": height})
                problems += _problems(page, name, width)
                checked.append(name)
        finally:
            context.close()
    assert not problems, "\n".join(problems)
    assert len(checked) == 18
    assert len(os.listdir(folders[0])) == 18
