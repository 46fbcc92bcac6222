"""Each user's time zone: detected once from the browser or chosen; pages show times in it, mails never do."""

from __future__ import annotations

import datetime as dt

import pytest

from crm.accounts.models import User
from crm.audit.services import record
from crm.events.models import Event
from crm.events.timezones import format_local
from crm.mail import queue_mail


def test_the_browser_zone_is_stored_once_and_a_chosen_zone_wins(app, login_as):
    staff = login_as("staff")
    html = staff.get("/").get_data(as_text=True)
    assert 'data-detect-timezone="/account/timezone"' in html and 'data-testid="your-timezone">UTC<' in html
    assert staff.post("/account/timezone", data={"detected": "1", "timezone": "Mars/Olympus"}).status_code == 400
    assert staff.post("/account/timezone", data={"detected": "1", "timezone": "America/Bogota"}).status_code == 204
    assert User.get_by_id(staff.user.id).timezone == "America/Bogota"
    assert "data-detect-timezone" not in staff.get("/").get_data(as_text=True)  # asked once only
    assert staff.post("/account/timezone", data={"detected": "1", "timezone": "Asia/Tokyo"}).status_code == 204
    assert User.get_by_id(staff.user.id).timezone == "America/Bogota"  # detection never overwrites
    page = staff.get("/account/timezone").get_data(as_text=True)
    assert '<option selected value="America/Bogota">' in page
    bad = staff.post("/account/timezone", data={"timezone": "Nowhere/Else"})
    assert bad.status_code == 400 and "Not a valid choice" in bad.get_data(as_text=True)
    chosen = staff.post("/account/timezone?next=/audit/", data={"timezone": "Europe/Oslo"})
    assert chosen.status_code == 302 and chosen.headers["Location"].endswith("/audit/")
    assert User.get_by_id(staff.user.id).timezone == "Europe/Oslo"


def test_pages_show_times_in_the_viewers_zone_and_events_in_both(app, login_as, make_user):
    admin = login_as("admin")
    with app.test_request_context():
        record(None, "test.entry", None, summary="A change at noon UTC")
    from crm.audit.models import AuditEntry

    AuditEntry.update(created_at=dt.datetime(2026, 7, 1, 12, 0)).execute()
    assert "01 Jul 2026, 12:00 UTC" in admin.get("/audit/").get_data(as_text=True)
    admin.post("/account/timezone", data={"timezone": "Europe/Oslo"})
    assert "01 Jul 2026, 14:00 CEST" in admin.get("/audit/").get_data(as_text=True)

    start = dt.datetime(2031, 6, 10, 7, 0)  # 09:00 in Oslo, 02:00 in Bogotá
    event = Event.create(title="Oslo workshop", kind="workshop", status="published", visibility="members",
                         timezone="Europe/Oslo", starts_at=start, ends_at=start + dt.timedelta(hours=8))
    member = User.get_by_id(admin.user.id)
    with app.test_request_context():
        from flask_login import login_user

        login_user(member)
        assert format_local(event, event.starts_at) == "Tue 10 Jun 2031, 09:00 CEST"  # same zone: once
        member.timezone = "America/Bogota"
        assert format_local(event, event.starts_at) == "Tue 10 Jun 2031, 09:00 CEST (02:00 -05 your time)"
        assert format_local(event, event.starts_at, viewer=False) == "Tue 10 Jun 2031, 09:00 CEST"


def test_a_mail_queued_by_a_user_with_a_zone_is_in_utc(app, make_user):
    from flask_login import login_user
    from jinja2 import ChoiceLoader, DictLoader

    from crm.templating import format_datetime

    probe = "At {{ when|datetime }}."
    app.jinja_env.loader = ChoiceLoader([DictLoader({"mail/zone_probe.txt": probe, "mail/zone_probe.html": probe}),
                                         app.jinja_env.loader])
    user = make_user("staff")
    user.timezone = "America/Bogota"
    user.save()
    noon = dt.datetime(2026, 7, 1, 12, 0)
    with app.test_request_context():
        login_user(user)
        assert format_datetime(noon) == "01 Jul 2026, 07:00 -05"  # the page, in the viewer's zone
        row = queue_mail("x@example.org", "Probe", "zone_probe", when=noon)
        assert row.text_body == "At 01 Jul 2026, 12:00 UTC."  # the mail, never in the sender's zone
        assert format_datetime(noon) == "01 Jul 2026, 07:00 -05"  # and pages again after it


@pytest.mark.browser
def test_chromium_tells_its_zone_on_the_first_page(browser, live_server, make_user):
    user = make_user("staff", email="desk@example.org")
    context = browser.new_context(base_url=live_server.url, timezone_id="America/Bogota")
    try:
        page = context.new_page()
        page.goto("/account/login")
        page.get_by_label("Email").fill("desk@example.org")
        page.get_by_label("Password").fill("correct horse battery")
        page.get_by_role("main").get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/")
        page.wait_for_function("() => performance.getEntriesByType('resource')"
                               ".some(e => e.name.endsWith('/account/timezone'))")
        for _ in range(50):
            if User.get_by_id(user.id).timezone:
                break
            page.wait_for_timeout(100)
        assert User.get_by_id(user.id).timezone == "America/Bogota"
        page.reload()
        assert page.get_by_test_id("your-timezone").inner_text() == "America/Bogota"
    finally:
        context.close()
