"""Access control in one place: a walk over every endpoint of the application."""

import re

import pytest

# Endpoints open to anonymous visitors. Adding one here is a deliberate decision.
PUBLIC_ENDPOINTS = {
    "static",
    "workspace.advice_answer",  # the peer focal point answers through a signed link
    "main.home",
    "accounts.login",
    "accounts.forgot_password",
    "accounts.reset_password",
    "accounts.accept_invitation",
    "membership.apply",
    "membership.application_status",
    "membership.application_sent",  # the thank-you page shows only the application this browser sent
    "membership.directory",
    "membership.public_profile",  # an active member city's public profile (no people, no incidents)
    "events.event_list",
    "events.event_detail",
    "events.event_ics",
    "events.public_feed",
    "events.personal_feed",
    "events.register_public",
    "events.manage_registration",
    "events.answer_invitation",
    "lessons.lesson_list",  # public lessons only, for visitors
    "lessons.lesson_detail",
    "lessons.toolkit",
    "mailings.unsubscribe",  # one-click unsubscribe (RFC 8058) through a signed link
    "mailings.preferences",  # the mailing preferences of the signed link's contact
    "anniversaries.feed",  # a staff member's calendar feed: the signed, revocable link stands in for signing in
}


def _sample_url(app, rule):
    """Build a URL for ``rule`` with placeholder values for its arguments."""
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        kind = type(converter).__name__
        values[name] = 1 if kind in ("IntegerConverter",) else ("a" if kind != "PathConverter" else "a/b")
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def _rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static"]


def _method(rule):
    methods = rule.methods - {"HEAD", "OPTIONS"}
    return "GET" if "GET" in methods else sorted(methods)[0]


def test_public_endpoints_are_exactly_the_allow_list(app):
    from crm.accounts.access import is_public_endpoint

    public = {r.endpoint for r in app.url_map.iter_rules() if is_public_endpoint(app, r.endpoint)}
    assert public == PUBLIC_ENDPOINTS | ({"static"} & public)


def test_every_other_endpoint_sends_anonymous_visitors_to_login(app, client):
    checked = 0
    for rule in _rules(app):
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        url = _sample_url(app, rule)
        response = client.open(url, method=_method(rule))
        assert response.status_code == 302, (rule.endpoint, response.status_code)
        assert re.search(r"/account/login\?next=", response.headers["Location"]), rule.endpoint
        checked += 1
    assert checked >= 8


def test_member_gets_403_on_every_secretariat_endpoint(app, login_as):
    member = login_as("member")
    staff_only = []
    for rule in _rules(app):
        roles = getattr(app.view_functions[rule.endpoint], "allowed_roles", None)
        if roles is not None and "member" not in roles:
            staff_only.append(rule)
    assert len(staff_only) >= 6
    for rule in staff_only:
        response = member.open(_sample_url(app, rule), method=_method(rule))
        assert response.status_code == 403, (rule.endpoint, response.status_code)
        assert b"Not allowed" in response.data


@pytest.mark.parametrize("role,allowed", [("staff", False), ("admin", True)])
def test_user_admin_pages_are_for_admins_only(login_as, role, allowed):
    c = login_as(role)
    for url in ("/account/users/", "/account/users/invite", "/audit/"):
        assert (c.get(url).status_code == 200) is allowed


def test_staff_reach_the_secretariat_pages(login_as):
    c = login_as("staff")
    response = c.get("/outbox/")
    assert response.status_code == 200 and b"Mail outbox" in response.data
    assert b"Dashboard" in c.get("/dashboard").data
