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


def _assert_alike(known: float, unknown: float) -> None:
    slow, fast = max(known, unknown), min(known, unknown)
    assert slow / fast < 2, f"known {known * 1000:.0f} ms, unknown {unknown * 1000:.0f} ms"


def test_a_failed_login_takes_as_long_for_an_unknown_address(app, make_user):
    users = [make_user("staff") for _ in range(ROUNDS)]
    addresses = iter(range(1, 100))

    def attempt(email):  # each from its own client address, under the per-address limit
        response = app.test_client().post("/account/login", data={"email": email, "password": "wrong password"},
                                          environ_base={"REMOTE_ADDR": f"10.8.0.{next(addresses)}"})
        assert response.status_code == 400

    attempt("warm-up@example.org")
    known = _median_seconds(attempt, [u.email for u in users])
    unknown = _median_seconds(attempt, [f"nobody{i}@example.org" for i in range(ROUNDS)])
    _assert_alike(known, unknown)
    print(f"login: known {known * 1000:.0f} ms, unknown {unknown * 1000:.0f} ms")


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

    ask("warm-up@example.org")
    known = _median_seconds(ask, [u.email for u in users])
    unknown = _median_seconds(ask, [f"nobody{i}@example.org" for i in range(ROUNDS)])
    _assert_alike(known, unknown)
    assert len(smtp.messages) == ROUNDS
    print(f"reset: known {known * 1000:.0f} ms, unknown {unknown * 1000:.0f} ms")
