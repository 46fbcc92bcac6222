"""The first user journey in a real browser: staff sign in and land on the dashboard."""

import pytest

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
