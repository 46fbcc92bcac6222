"""Signing in and out, remember me, password reset, invitations, rate limits."""

import re

from crm.accounts.models import User
from tests.helpers import PASSWORD, login


def test_login_is_case_insensitive_and_lands_on_the_dashboard(client, make_user):
    user = make_user("staff", email="Ana.Lopez@Example.org")
    assert user.email == "ana.lopez@example.org"
    response = login(client, "  ANA.LOPEZ@example.ORG ")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = client.get("/")
    assert b"Dashboard" in home.data and b"ana.lopez@example.org" in home.data
    assert User.get_by_id(user.id).last_login_at is not None


def test_password_is_hashed_with_argon2(make_user):
    user = make_user("staff")
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert user.check_password(PASSWORD) and not user.check_password(PASSWORD + "x")


def test_wrong_password_shows_the_message_and_keeps_the_email(client, make_user):
    user = make_user("staff")
    response = login(client, user.email, "wrong password")
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The email address or the password is not right" in body
    assert f'value="{user.email}"' in body
    assert client.get("/dashboard").status_code == 302


def test_invalid_email_gets_a_message_next_to_the_field(client):
    body = client.post("/account/login", data={"email": "not-an-address", "password": "x"}).get_data(as_text=True)
    assert "Enter a valid email address" in body and 'value="not-an-address"' in body


def test_deactivated_user_cannot_sign_in(client, make_user):
    user = make_user("staff")
    user.active = False
    user.save()
    assert login(client, user.email).status_code == 400


def test_logout_ends_the_session(client, make_user):
    user = make_user("member")
    login(client, user.email)
    assert client.get("/").status_code == 200 and b"Sign out" in client.get("/").data
    response = client.post("/account/logout")
    assert response.status_code == 302
    assert b"Sign in" in client.get("/").data
    assert client.get("/dashboard").status_code == 302


def test_remember_me_sets_a_lasting_cookie(app, make_user):
    user = make_user("staff")
    c = app.test_client()
    login(c, user.email, remember=True)
    cookie = c.get_cookie("remember_token")
    assert cookie is not None and cookie.expires is not None
    # A new session with only the remember cookie is still signed in.
    c2 = app.test_client()
    c2.set_cookie("remember_token", cookie.value)
    assert b"Dashboard" in c2.get("/").data
    c3 = app.test_client()
    login(c3, user.email)
    assert c3.get_cookie("remember_token") is None


def test_next_parameter_is_followed_only_within_the_site(client, make_user):
    user = make_user("admin")
    r = client.post("/account/login?next=/audit/", data={"email": user.email, "password": PASSWORD})
    assert r.headers["Location"] == "/audit/"
    client.post("/account/logout")
    r = client.post("/account/login?next=https://evil.example/x", data={"email": user.email, "password": PASSWORD})
    assert r.headers["Location"] == "/"


def test_password_reset_through_the_emailed_link_works_once(client, make_user, smtp):
    user = make_user("staff")
    response = client.post("/account/forgot", data={"email": user.email.upper()})
    assert response.status_code == 302
    message = smtp.last_to(user.email)
    assert message["Subject"] == "Reset your password"
    assert "reset" in smtp.html(message).lower()
    link = next(link for link in smtp.links(message) if "/account/reset/" in link)
    path = link.split("127.0.0.1:5000", 1)[1]
    form = client.get(path)
    assert form.status_code == 200 and b"Choose a new password" in form.data
    bad = client.post(path, data={"password": "short", "confirm": "short"})
    assert b"Use at least 10 characters" in bad.data
    done = client.post(path, data={"password": "a brand new passphrase", "confirm": "a brand new passphrase"})
    assert done.status_code == 302
    assert login(client, user.email, "a brand new passphrase").status_code == 302
    client.post("/account/logout")
    again = client.get(path, follow_redirects=True)
    assert b"already been used" in again.data
    assert login(client, user.email, PASSWORD).status_code == 400


def test_reset_link_expires(app, client, make_user):
    from crm.accounts import services

    user = make_user("staff")
    token = services.make_token(user, services.RESET_SALT)
    app.config["TOKEN_MAX_AGE"] = -1
    response = client.get(f"/account/reset/{token}", follow_redirects=True)
    assert b"This link has expired" in response.data


def test_tampered_reset_link_is_refused(client, make_user):
    response = client.get("/account/reset/not-a-real-token", follow_redirects=True)
    assert b"This link is not valid" in response.data


def test_reset_form_answers_the_same_for_unknown_addresses(client, make_user, smtp):
    user = make_user("staff")
    known = client.post("/account/forgot", data={"email": user.email}, follow_redirects=True)
    unknown = client.post("/account/forgot", data={"email": "nobody@example.org"}, follow_redirects=True)
    strip = lambda html: re.sub(r'name="csrf_token"[^>]*', "", html.get_data(as_text=True))  # noqa: E731
    assert known.status_code == unknown.status_code == 200
    assert strip(known) == strip(unknown)
    assert smtp.to(user.email) and not smtp.to("nobody@example.org")


def test_invitation_lets_the_person_set_a_password_and_sign_in(login_as, app, smtp):
    admin = login_as("admin")
    response = admin.post("/account/users/invite", data={"name": "Léa Martin", "email": "Lea.Martin@Example.org",
                                                         "role": "member", "note": "Welcome to the network"})
    assert response.status_code == 302
    user = User.get(User.email == "lea.martin@example.org")
    assert not user.has_password and user.role == "member"
    message = smtp.last_to("lea.martin@example.org")
    assert "Welcome to the network" in smtp.text(message)
    path = next(link for link in smtp.links(message) if "/account/invitation/" in link).split("5000", 1)[1]
    newcomer = app.test_client()
    page = newcomer.get(path)
    assert b"lea.martin@example.org" in page.data
    assert newcomer.post(path, data={"password": "my own passphrase", "confirm": "my own passphrase"}).status_code == 302
    assert b"Welcome, L" in newcomer.get("/").data or b"Sign out" in newcomer.get("/").data
    assert User.get_by_id(user.id).check_password("my own passphrase")
    # The link works only once.
    assert b"already been used" in app.test_client().get(path, follow_redirects=True).data


def test_inviting_an_existing_address_is_refused_next_to_the_field(login_as):
    admin = login_as("admin")
    body = admin.post("/account/users/invite", data={"name": "Again", "email": admin.user.email.upper(),
                                                     "role": "staff"}).get_data(as_text=True)
    assert "A user with this address already exists." in body
    assert 'value="Again"' in body


def test_login_is_rate_limited_per_address(app, make_user):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    user = make_user("staff")
    for i in range(3):
        c = app.test_client()
        r = c.post("/account/login", data={"email": user.email, "password": "wrong"},
                   environ_base={"REMOTE_ADDR": f"10.0.0.{i + 1}"})
        assert r.status_code == 400
    blocked = app.test_client().post("/account/login", data={"email": user.email, "password": PASSWORD},
                                     environ_base={"REMOTE_ADDR": "10.0.0.99"})
    assert blocked.status_code == 429 and b"Too many attempts" in blocked.data


def test_login_is_rate_limited_per_client(app, make_user):
    app.config["LOGIN_ADDRESS_RATE_LIMIT"] = "3 per minute"
    c = app.test_client()
    for i in range(3):
        assert c.post("/account/login", data={"email": f"x{i}@example.org", "password": "w"}).status_code == 400
    assert c.post("/account/login", data={"email": "y@example.org", "password": "w"}).status_code == 429
    # Another client is not affected.
    other = app.test_client().post("/account/login", data={"email": "z@example.org", "password": "w"},
                                   environ_base={"REMOTE_ADDR": "10.1.1.1"})
    assert other.status_code == 400


def test_rate_limits_are_shared_through_redis(app_config, make_user):
    """With CRM_RATELIMIT_STORAGE_URI=redis://…, a new app instance (another worker) sees the same counts."""
    import socket
    import uuid

    import pytest

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    from crm import create_app

    prefix = f"crm-test-{uuid.uuid4().hex[:8]}"
    config = {**app_config, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379", "RATELIMIT_KEY_PREFIX": prefix,
              "LOGIN_RATE_LIMIT": "2 per minute", "LOGIN_ADDRESS_RATE_LIMIT": "2 per minute"}
    first = create_app(config)
    for _ in range(2):
        assert first.test_client().post("/account/login", data={"email": "a@example.org", "password": "w"}).status_code == 400
    second = create_app(config)  # like a second gunicorn worker
    blocked = second.test_client().post("/account/login", data={"email": "b@example.org", "password": "w"})
    assert blocked.status_code == 429
    import redis

    keys = redis.Redis(host="127.0.0.1", port=6379).keys(f"*{prefix}*")
    assert keys
    redis.Redis(host="127.0.0.1", port=6379).delete(*keys)
