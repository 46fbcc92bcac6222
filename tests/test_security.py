"""CSRF on every form, request size limits, error pages in the application's look."""

import pytest

from tests.helpers import PASSWORD


def test_a_post_without_the_csrf_token_is_refused(app, make_user):
    app.config["WTF_CSRF_ENABLED"] = True
    user = make_user("staff")
    c = app.test_client()
    response = c.post("/account/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert b"The form had expired" in response.data
    assert c.get("/dashboard").status_code == 302  # not signed in


def test_a_post_with_the_csrf_token_is_accepted(app, make_user):
    import re

    app.config["WTF_CSRF_ENABLED"] = True
    user = make_user("staff")
    c = app.test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', c.get("/account/login").get_data(as_text=True))
    response = c.post("/account/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token.group(1)})
    assert response.status_code == 302


def test_signed_in_forms_need_the_token_too(app, login_as):
    admin = login_as("admin")
    app.config["WTF_CSRF_ENABLED"] = True
    response = admin.post("/account/users/invite", data={"name": "X", "email": "x@example.org", "role": "staff"})
    assert response.status_code == 400
    response = admin.post("/account/logout")
    assert response.status_code == 400


def test_request_bodies_are_size_limited(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/account/login", data={"email": "a@example.org", "password": "x" * 5000})
    assert response.status_code == 413
    assert b"Too large" in response.data and b"Strong Cities CRM" in response.data


@pytest.mark.parametrize("code,title", [(400, b"Bad request"), (403, b"Not allowed"), (404, b"Page not found"),
                                        (413, b"Too large"), (429, b"Too many attempts"),
                                        (500, b"Something went wrong")])
def test_error_pages_share_the_look(app, code, title):
    from flask import abort

    @app.get(f"/_fail/{code}")
    def fail():
        abort(code)

    fail.is_public = True
    response = app.test_client().get(f"/_fail/{code}")
    assert response.status_code == code
    assert title in response.data
    assert b'<main id="main"' in response.data and b"pico.min.css" in response.data


def test_an_unexpected_exception_gives_the_500_page(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/_boom")
    def boom():
        raise RuntimeError("boom")

    boom.is_public = True
    response = app.test_client().get("/_boom")
    assert response.status_code == 500
    main = response.get_data(as_text=True).split("<main", 1)[1].split("</main>", 1)[0]
    assert "Something went wrong" in main and "boom" not in main and "RuntimeError" not in response.get_data(as_text=True)


def test_pages_have_landmarks_labels_and_one_h1(client):
    html = client.get("/account/login").get_data(as_text=True)
    assert '<main id="main"' in html and "<nav" in html and "<footer" in html
    assert html.count("<h1") == 1
    assert '<label for="email">' in html and '<label for="password">' in html
    assert 'href="#main"' in html  # skip link
    assert 'name="viewport"' in html
