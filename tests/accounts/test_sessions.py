"""A password reset ends every other session of the user, remember-me cookies included."""

from crm.accounts import services
from crm.accounts.models import User
from tests.helpers import login

NEW_PASSWORD = "a brand new passphrase"


def _signed_in(client) -> bool:
    return b"Sign out" in client.get("/").data


def test_a_reset_ends_sessions_opened_before_it(app, make_user):
    user = make_user("staff")
    browser = app.test_client()
    assert login(browser, user.email).status_code == 302
    remembered = app.test_client()
    login(remembered, user.email, remember=True)
    cookie = remembered.get_cookie("remember_token").value
    only_cookie = app.test_client()
    only_cookie.set_cookie("remember_token", cookie)
    assert _signed_in(browser) and _signed_in(only_cookie)

    token = services.make_token(user, services.RESET_SALT)
    anonymous = app.test_client()
    done = anonymous.post(f"/account/reset/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302

    assert not _signed_in(browser)
    assert browser.get("/dashboard").headers["Location"].startswith("/account/login")
    stale = app.test_client()
    stale.set_cookie("remember_token", cookie)
    assert not _signed_in(stale)
    # Signing in with the new password gives a working session again.
    fresh = app.test_client()
    assert login(fresh, user.email, NEW_PASSWORD).status_code == 302 and _signed_in(fresh)


def test_the_session_that_resets_stays_signed_in_and_the_others_end(app, make_user):
    user = make_user("member")
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, user.email)
    login(phone, user.email)
    token = services.make_token(user, services.RESET_SALT)
    done = laptop.post(f"/account/reset/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert _signed_in(laptop)
    assert not _signed_in(phone)
    assert User.get_by_id(user.id).check_password(NEW_PASSWORD)


def test_a_session_cookie_without_the_current_stamp_is_refused(app, make_user):
    user = make_user("admin")
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)  # the form used before session stamps
        session["_fresh"] = True
    assert not _signed_in(client)
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}:{user.session_stamp}"
    assert _signed_in(client)
