"""Neither the login form nor the reset form tells by its timing whether an account uses an address."""

import statistics
import time

import argon2

from crm.accounts.services import authenticate

ROUNDS = 5


def _median_seconds(post, emails) -> float:
    times = []
    for email in emails:
        started = time.perf_counter()
        post(email)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _assert_alike(label: str, post, users) -> None:
    """Time ``post`` (after a warm-up) for the users' addresses and as many unknown ones: medians within 2x."""
    post("warm-up@example.org")
    known = _median_seconds(post, [u.email for u in users])
    unknown = _median_seconds(post, [f"nobody{i}@example.org" for i in range(ROUNDS)])
    slow, fast = max(known, unknown), min(known, unknown)
    assert slow / fast < 2, f"{label}: known {known * 1000:.0f} ms, unknown {unknown * 1000:.0f} ms"
    print(f"{label}: known {known * 1000:.0f} ms, unknown {unknown * 1000:.0f} ms")


def test_a_failed_login_takes_as_long_for_an_unknown_address(app, make_user):
    users = [make_user("staff") for _ in range(ROUNDS)]
    addresses = iter(range(1, 100))

    def attempt(email):  # each from its own client address, under the per-address limit
        response = app.test_client().post("/account/login", data={"email": email, "password": "wrong password"},
                                          environ_base={"REMOTE_ADDR": f"10.8.0.{next(addresses)}"})
        assert response.status_code == 400

    _assert_alike("login", attempt, users)


def test_an_unknown_address_still_goes_through_the_password_hasher(app, make_user, monkeypatch):
    invited = make_user("member")
    invited.password_hash = ""  # invited, no password yet
    invited.save()
    calls = []
    real_verify = argon2.PasswordHasher.verify

    def counting_verify(self, hash, password):
        calls.append(password)
        return real_verify(self, hash, password)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", counting_verify)
    assert authenticate("nobody@example.org", "guess one") is None
    assert authenticate(invited.email, "guess two") is None
    assert calls == ["guess one", "guess two"]


def test_the_reset_form_takes_as_long_for_an_unknown_address(app, make_user, smtp):
    users = [make_user("staff") for _ in range(ROUNDS)]
    addresses = iter(range(1, 100))

    def ask(email):
        response = app.test_client().post("/account/forgot", data={"email": email},
                                          environ_base={"REMOTE_ADDR": f"10.9.0.{next(addresses)}"})
        assert response.status_code == 302

    _assert_alike("reset", ask, users)
    assert len(smtp.messages) == ROUNDS
