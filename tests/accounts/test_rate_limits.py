"""Failed sign-ins are counted per account and per client address apart, the address limit higher."""

import socket
import uuid

import pytest

from crm import create_app
from tests.helpers import PASSWORD

OFFICE = {"REMOTE_ADDR": "192.0.2.10"}  # one address shared by a whole office (NAT)


def _sign_in(app, email, password="wrong password", environ=None):
    return app.test_client().post("/account/login", data={"email": email, "password": password},
                                  environ_base=environ or OFFICE)


def test_an_attacker_behind_a_shared_address_does_not_lock_colleagues_out(app, make_user):
    app.config.update(LOGIN_RATE_LIMIT="3 per minute", LOGIN_ADDRESS_RATE_LIMIT="8 per minute")
    victim, colleague = make_user("staff"), make_user("member")
    for _ in range(3):
        assert _sign_in(app, victim.email).status_code == 400
    # The targeted account is locked, from any address, even with its password ...
    assert _sign_in(app, victim.email, PASSWORD).status_code == 429
    assert _sign_in(app, victim.email, PASSWORD, {"REMOTE_ADDR": "198.51.100.7"}).status_code == 429
    # ... but a colleague at the same address signs in: the address has its own, higher limit.
    assert _sign_in(app, colleague.email, PASSWORD).status_code == 302
    for n in range(5):
        assert _sign_in(app, f"guess{n}@example.org").status_code == 400
    # 3 + 5 failures (refused tries and successes do not count): the address limit holds every account now.
    assert _sign_in(app, colleague.email, PASSWORD).status_code == 429
    assert _sign_in(app, colleague.email, PASSWORD, {"REMOTE_ADDR": "198.51.100.7"}).status_code == 302


def test_successful_sign_ins_do_not_count(app, make_user):
    app.config.update(LOGIN_RATE_LIMIT="2 per minute", LOGIN_ADDRESS_RATE_LIMIT="2 per minute")
    user = make_user("staff")
    for _ in range(5):
        assert _sign_in(app, user.email, PASSWORD).status_code == 302


def test_the_client_address_comes_from_a_trusted_proxy(app_config, make_user):
    """With CRM_TRUSTED_PROXIES=1 (nginx in front), clients behind one proxy are counted apart."""
    app = create_app({**app_config, "TRUSTED_PROXIES": 1, "LOGIN_ADDRESS_RATE_LIMIT": "2 per minute"})
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for n in range(2):
        response = app.test_client().post("/account/login", data={"email": f"a{n}@example.org", "password": "w"},
                                          environ_base=proxy, headers={"X-Forwarded-For": "203.0.113.5"})
        assert response.status_code == 400
    blocked = app.test_client().post("/account/login", data={"email": "a9@example.org", "password": "w"},
                                     environ_base=proxy, headers={"X-Forwarded-For": "203.0.113.5"})
    assert blocked.status_code == 429
    other = app.test_client().post("/account/login", data={"email": "b@example.org", "password": "w"},
                                   environ_base=proxy, headers={"X-Forwarded-For": "203.0.113.6"})
    assert other.status_code == 400


def _redis_or_skip():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")


def test_two_workers_share_both_counts_through_redis(app_config, make_user):
    """Like two gunicorn workers: each failure counts once, whichever worker saw it."""
    _redis_or_skip()
    import redis

    prefix = f"crm-test-{uuid.uuid4().hex[:8]}"
    config = {**app_config, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379", "RATELIMIT_KEY_PREFIX": prefix,
              "LOGIN_RATE_LIMIT": "4 per minute", "LOGIN_ADDRESS_RATE_LIMIT": "6 per minute"}
    workers = [create_app(config), create_app(config)]
    victim, colleague = make_user("staff"), make_user("staff")
    try:
        for n in range(4):  # alternate workers, as a load balancer would
            assert _sign_in(workers[n % 2], victim.email).status_code == 400
        assert _sign_in(workers[0], victim.email, PASSWORD, {"REMOTE_ADDR": "198.51.100.8"}).status_code == 429
        assert _sign_in(workers[1], victim.email, PASSWORD, {"REMOTE_ADDR": "198.51.100.9"}).status_code == 429
        assert _sign_in(workers[1], colleague.email, PASSWORD).status_code == 302
        assert _sign_in(workers[0], "guess1@example.org").status_code == 400
        assert _sign_in(workers[1], "guess2@example.org").status_code == 400
        # 4 + 2 = 6 failures from the office, across both workers: the address limit.
        assert _sign_in(workers[1], colleague.email, PASSWORD).status_code == 429
    finally:
        client = redis.Redis(host="127.0.0.1", port=6379)
        keys = client.keys(f"*{prefix}*")
        assert keys
        client.delete(*keys)
