"""In a real browser: staff plan an event with an agenda and publish it; a member registers and
cancels; the first person waiting gets the offer by mail and confirms through its link."""

from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest

from crm.db import utcnow
from crm.events.models import Event, Registration
from tests.helpers import sign_in_page, wait_for_mail

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = os.environ.get("CRM_SCREENSHOTS")  # optional folder to keep the screenshots


def test_plan_publish_register_cancel_and_offer(page, browser, live_server, make_user, smtp, tmp_path):
    make_user("staff", email="planner@example.org", name="Tomas Lindqvist")
    make_user("member", email="ingrid@example.org", name="Ingrid Solberg")
    make_user("member", email="yusuf@example.org", name="Yusuf Demir")
    shots = []

    def shot(p, name):
        path = tmp_path / f"{len(shots) + 1:02d}-{name}.png"
        p.screenshot(path=str(path), full_page=True)
        shots.append(path)

    # Staff plan the event (in Oslo time), with one seat so the waiting list is used.
    start = (utcnow() + dt.timedelta(days=30)).date()
    sign_in_page(page, "planner@example.org")
    page.goto("/events/new")
    page.get_by_label("Title").fill("Remembering together: memorial and learning centre workshop")
    page.get_by_label("Kind").select_option("workshop")
    page.get_by_label("Description").fill("Two days on **memorials** and learning centres.\n\n- site visit\n- working groups")
    page.get_by_label("Venue").fill("Oslo City Hall")
    page.get_by_label("Time zone").select_option("Europe/Oslo")
    page.get_by_label("Starts", exact=True).fill(f"{start.isoformat()}T09:00")
    page.get_by_label("Ends", exact=True).fill(f"{(start + dt.timedelta(days=1)).isoformat()}T16:00")
    page.get_by_label("Capacity").fill("1")
    page.get_by_label("Visibility").select_option("members")
    shot(page, "event-form")
    page.get_by_role("button", name="Save as draft").click()
    assert page.get_by_text("Saved the draft").is_visible()
    event = Event.get()
    assert event.status == "draft"

    page.get_by_role("button", name="Agenda", exact=True).click()
    for day, begin, end, title, kind in [(start, "09:00", "10:30", "Opening and lessons learned", "keynote"),
                                         (start + dt.timedelta(days=1), "09:00", "12:00",
                                          "Site visit: memorial and learning centre", "site_visit")]:
        page.get_by_label("Day").fill(day.isoformat())
        page.get_by_label("Starts").fill(begin)
        page.get_by_label("Ends").fill(end)
        page.get_by_label("Title").fill(title)
        page.get_by_label("Kind").select_option(kind)
        page.get_by_role("button", name="Add to the agenda").click()
        assert page.get_by_text(f"Saved '{title}' in the agenda.").is_visible()
    shot(page, "agenda")
    page.goto(f"/events/{event.id}")
    page.get_by_role("button", name="Publish").click()
    assert page.get_by_text("is published").is_visible()
    assert page.locator(".agenda-day h3").count() == 2
    shot(page, "event-published")

    # Ingrid registers and gets the seat; Yusuf joins the waiting list.
    ingrid_ctx = browser.new_context(base_url=live_server.url)
    ingrid = ingrid_ctx.new_page()
    sign_in_page(ingrid, "ingrid@example.org")
    ingrid.goto(f"/events/{event.id}")
    ingrid.get_by_role("button", name="Register").click()
    assert ingrid.locator("#my-registration").inner_text() == "You are registered."
    shot(ingrid, "member-registered")

    yusuf_ctx = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    yusuf = yusuf_ctx.new_page()
    sign_in_page(yusuf, "yusuf@example.org")
    yusuf.goto(f"/events/{event.id}")
    yusuf.get_by_role("button", name="Join the waiting list").click()
    assert "number 1" in yusuf.locator("#my-registration").inner_text()
    shot(yusuf, "waiting-phone")

    # Ingrid cancels: the seat is offered to Yusuf by mail.
    ingrid.get_by_role("button", name="Cancel my registration").click()
    assert ingrid.get_by_text("Your registration is cancelled").is_visible()
    offer = wait_for_mail(smtp, "yusuf@example.org", "A seat is free for you")
    link = [x for x in smtp.links(offer) if "/events/registration/" in x][0]
    assert link.startswith(live_server.url)
    yusuf.goto(link)
    assert yusuf.locator("#status").inner_text().startswith("A seat is free for you.")
    shot(yusuf, "offer")
    yusuf.get_by_role("button", name="Confirm my seat").click()
    assert yusuf.get_by_text("Your seat is confirmed.").is_visible()
    assert yusuf.locator("#status").inner_text() == "You are registered."
    shot(yusuf, "confirmed")
    wait_for_mail(smtp, "yusuf@example.org", "You are registered")
    statuses = {r.contact.email: r.status for r in Registration.select()}
    assert statuses == {"ingrid@example.org": "cancelled", "yusuf@example.org": "registered"}

    # Staff see it on the participant list and the check-in page on a phone.
    page.goto(f"/events/{event.id}/participants")
    shot(page, "participants")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/events/{event.id}/check-in?override=1")  # 30 days ahead: staff override the check-in window
    page.get_by_role("button", name="Check in Yusuf Demir").click()
    assert page.get_by_role("button", name="Undo check-in of Yusuf Demir").is_visible()
    shot(page, "check-in-phone")
    page.goto(f"/events/{event.id}/badges")
    shot(page, "badges")
    ingrid_ctx.close()
    yusuf_ctx.close()
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        for path in shots:
            shutil.copy(path, SHOTS)
    assert all(path.stat().st_size > 5000 for path in shots)
