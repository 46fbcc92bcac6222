"""Absolute links are the same in a request and in a command run by cron, and a mail built by a command
carries a working link (before crm.core.urls, accounts, membership and lessons raised RuntimeError
outside a request)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from crm import mail
from crm.accounts.services import request_password_reset
from crm.core.urls import absolute_url


def test_absolute_url_is_the_same_with_and_without_a_request(app):
    outside = absolute_url("accounts.reset_password", token="abc")
    with app.test_request_context("/somewhere/else"):
        inside = absolute_url("accounts.reset_password", token="abc")
    assert outside == inside == "http://127.0.0.1:5000/account/reset/abc"


def test_a_command_mails_a_password_reset_link_that_works(app, make_user, smtp):
    user = make_user("member", email="cron.reader@example.org")

    @click.command("reset-from-cron")
    @click.argument("email")
    @with_appcontext
    def reset_from_cron(email):
        request_password_reset(email)
        click.echo(f"sent {mail.send_queued(force=True)[0]}")

    result = app.test_cli_runner().invoke(reset_from_cron, [user.email])
    assert result.exit_code == 0, result.output + repr(result.exception)
    assert "sent 1" in result.output
    link = next(link for link in smtp.links(smtp.last_to(user.email)) if "/account/reset/" in link)
    assert link.startswith("http://127.0.0.1:5000/account/reset/")
    page = app.test_client().get(link.removeprefix("http://127.0.0.1:5000"))
    assert page.status_code == 200 and "password" in page.get_data(as_text=True).lower()
