"""Mailings: lists and consent, compose with merge fields, queue exactly once, one-click unsubscribe, reports."""

import datetime as dt
import re

import peewee
import pytest

from crm import mail
from crm.contacts.models import Contact
from crm.db import database
from crm.mailings import services
from crm.mailings.models import Delivery, Mailing, MailingList


def _html(response) -> str:
    return " ".join(response.get_data(as_text=True).split())


def _unsubscribe_link(message) -> str:
    header = str(message["List-Unsubscribe"])
    return re.search(r"<(https?://[^>]+)>", header).group(1)


# --- roles --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/mailings/", "/mailings/new", "/mailings/lists/new"])
def test_members_cannot_see_mailings_and_staff_can(login_as, lists, path):
    assert login_as("member").get(path).status_code == 403
    page = login_as("staff").get(path)
    assert page.status_code == 200
    assert "Network news" in _html(page) or "Add the list" in _html(page)


def test_staff_add_a_list_and_a_duplicate_name_is_refused_next_to_the_field(staff, lists):
    response = staff.post("/mailings/lists/new", data={"name": "Regional workshops", "description": "South"})
    assert response.status_code == 302
    assert MailingList.get(MailingList.name == "Regional workshops").slug == "regional-workshops"
    again = staff.post("/mailings/lists/new", data={"name": "Regional workshops", "description": "typed"})
    assert again.status_code == 200
    assert "already exists" in _html(again) and 'value="typed"' in _html(again)
    assert MailingList.select().where(MailingList.name == "Regional workshops").count() == 1


# --- compose --------------------------------------------------------------------------------------------

def test_an_unknown_merge_field_is_refused_next_to_the_field_keeping_the_text(staff, lists):
    body = "Dear {{ frist_name }}, see you in {{ city }}."
    response = staff.post("/mailings/new", data={"mailing_list": lists["events"].id, "subject": "Invitation",
                                                 "body": body})
    html = _html(response)
    assert response.status_code == 200
    assert "Unknown merge field {{ frist_name }}" in html and 'id="body-error"' in html
    assert "Dear {{ frist_name }}, see you in {{ city }}." in html  # what was typed is kept
    assert Mailing.select().count() == 0
    stray = staff.post("/mailings/new", data={"mailing_list": lists["events"].id, "subject": "Hi {{ name }",
                                              "body": "x"})
    assert "two braces on each side" in _html(stray) and Mailing.select().count() == 0


def test_preview_as_a_chosen_recipient_fills_merge_fields_and_sanitises(staff, lists, people):
    body = ("Hello {{ first_name }} of {{ city }} at {{ organisation }}.\n\n**Bold** "
            "<script>alert(1)</script> [site](javascript:alert(2))")
    created = staff.post("/mailings/new", data={"mailing_list": lists["network-news"].id,
                                                "subject": "For {{ name }}", "body": body})
    assert created.status_code == 302
    mailing = Mailing.get()
    html = _html(staff.get(f"/mailings/{mailing.id}?as={people['ada'].id}"))
    assert "For Ada Lovelace" in html
    assert "Hello Ada of Lyon at A&amp;B &lt;Lab&gt;." in html and "<strong>Bold</strong>" in html
    rendered = html.split('id="preview-html">', 1)[1].split("</div>", 1)[0]
    assert "<script" not in rendered and "javascript:" not in rendered
    assert "&lt;script&gt;" in html.split('id="preview-text">', 1)[1]  # the plain text shows it, escaped
    finn = _html(staff.get(f"/mailings/{mailing.id}?as={people['finn'].id}"))
    assert "Hello Finn of Lyon" in finn
    # Who will get it, and why the others will not (Dee declined news: not on the list at all).
    assert "2 will get it; 2 will not: 1 do not contact, 1 no email." in html


def test_a_test_send_goes_to_oneself_as_the_chosen_recipient(staff, news_mailing, people, smtp):
    response = staff.post(f"/mailings/{news_mailing.id}/test", data={"as": people["finn"].id})
    assert response.status_code == 302
    message = smtp.last_to(staff.user.email)
    assert message["Subject"] == "[Test] News for Finn"
    assert "Hello Finn of Lyon!" in smtp.text(message) and "<strong>Workshop</strong>" in smtp.html(message)
    assert smtp.to("finn@lyon.example.org") == []
    assert Delivery.select().count() == 0 and Mailing.get_by_id(news_mailing.id).is_draft


# --- send now ---------------------------------------------------------------------------------------

def test_send_now_reaches_exactly_the_consenting_recipients_with_both_unsubscribe_headers(
        staff, news_mailing, people, smtp):
    confirm = _html(staff.get(f"/mailings/{news_mailing.id}/send"))
    assert "2 will get it; 2 will not: 1 do not contact, 1 no email." in confirm
    assert "Queue it for 2 recipient(s)" in confirm
    assert smtp.messages == []  # the confirmation page sends nothing

    done = staff.post(f"/mailings/{news_mailing.id}/send", follow_redirects=True)
    page = _html(done)
    assert "2 mail(s) queued." in page and "2 mail(s) sent" not in page
    assert sorted(a for m in smtp.messages for a in m.envelope_to) == ["ada@lyon.example.org",
                                                                       "finn@lyon.example.org"]
    message = smtp.last_to("ada@lyon.example.org")
    assert message["Subject"] == "News for Ada"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = str(message["List-Unsubscribe"])
    assert re.fullmatch(r"<http://127\.0\.0\.1:5000/mailings/u/[^>]+>, <mailto:noreply@example\.org\?subject="
                        r"unsubscribe%20[^>]+>", header), header
    assert _unsubscribe_link(message) in smtp.text(message)  # the body links to the preferences page
    report = _html(staff.get(f"/mailings/{news_mailing.id}"))
    assert "0 queued · 2 sent · 0 failed" in report


def test_queued_is_not_sent_until_the_outbox_says_so_and_failures_show_their_reason(
        app, staff, news_mailing, people, smtp):
    app.config["MAIL_RATE"] = 60  # throttled: nothing goes out after the request
    staff.post(f"/mailings/{news_mailing.id}/send")
    assert smtp.messages == []
    assert "2 queued · 0 sent · 0 failed" in _html(staff.get(f"/mailings/{news_mailing.id}"))
    # The server refuses Finn's address for good: that one fails with the reason, Ada's goes out.
    finn_row = mail.OutboxMail.get(mail.OutboxMail.recipient == "finn@lyon.example.org")
    finn_row.recipient = "finn at nowhere"
    finn_row.save()
    sent, failed = services.send_queued_mailings(rate=0)
    assert (sent, failed) == (1, 1)
    report = _html(staff.get(f"/mailings/{news_mailing.id}"))
    assert "0 queued · 1 sent · 1 failed" in report
    assert "Finn Berg" in report and "Not a single valid address" in report


def test_an_interrupted_send_resumed_delivers_nobody_twice(app, staff, news_mailing, people, smtp):
    from crm.contacts.models import Contact as C

    extra = [C.create(name=f"Person {n}", name_key=f"person {n}", email=f"p{n}@example.org") for n in range(5)]
    app.config["MAIL_RATE"] = 6000
    assert services.queue_mailing(news_mailing, limit=3) == 3  # the send stops after three recipients
    services.send_queued_mailings(rate=0)
    assert services.queue_mailing(news_mailing) == 4  # started again: only the four left
    assert services.queue_mailing(news_mailing) == 0
    services.send_queued_mailings(rate=0)
    received = sorted(a for m in smtp.messages for a in m.envelope_to)
    expected = sorted(["ada@lyon.example.org", "finn@lyon.example.org"] + [c.email for c in extra])
    assert received == expected  # each once
    # The database itself refuses a second delivery of one mailing to one contact.
    with pytest.raises(peewee.IntegrityError), database.atomic():
        Delivery.create(mailing=news_mailing, contact=people["ada"], email="ada@lyon.example.org")


def test_crm_mailings_send_paces_messages_at_the_configured_rate(app, news_mailing, people, smtp):
    app.config["MAIL_RATE"] = 60  # one a second
    for n in range(2):
        Contact.create(name=f"P{n}", name_key=f"p{n}", email=f"p{n}@example.org")
    services.queue_mailing(news_mailing)
    assert smtp.messages == []
    now = [0.0]
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    sent, failed = services.send_queued_mailings(sleep=sleep, clock=lambda: now[0])
    assert (sent, failed) == (4, 0) and len(smtp.messages) == 4
    assert slept == [1.0, 1.0, 1.0]  # four messages at 60 a minute: three one-second waits
    result = app.test_cli_runner().invoke(args=["mailings", "send"])
    assert "Sent 0 mailing message(s)" in result.output, result.output


# --- reports -------------------------------------------------------------------------------------------

def test_a_contact_page_lists_the_mailings_they_got(app, staff, news_mailing, people, smtp):
    services.queue_mailing(news_mailing, staff.user)
    services.send_queued_mailings(rate=0)
    html = _html(staff.get(f"/mailings/contacts/{people['ada'].id}"))
    assert "News for {{ first_name }}" in html and ": Sent" in html
    assert "Network news: subscribed" in html
    assert "None." in _html(staff.get(f"/mailings/contacts/{people['dee'].id}"))
    contact_page = _html(staff.get(f"/contacts/{people['ada'].id}"))
    assert f'href="/mailings/contacts/{people["ada"].id}">Mailings received</a>' in contact_page


def test_crm_mailing_send_dry_run_counts_and_then_queues(app, lists, people, tmp_path, smtp):
    body = tmp_path / "news.md"
    body.write_text("Hello {{ first_name }},\n\nnews from the network.", encoding="utf-8")
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["mailing", "send", "--list", "network-news", "--subject", "News",
                              "--body", str(body), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Network news: 2 will get it; 2 will not: 1 do not contact, 1 no email." in dry.output
    assert "  1 marked do not contact\n  1 no email address\n" in dry.output
    assert "Dry run: nothing queued." in dry.output and Mailing.select().count() == 0
    wrong = runner.invoke(args=["mailing", "send", "--list", "Network news", "--subject", "Hi {{ nmae }}",
                                "--body", str(body)])
    assert wrong.exit_code != 0 and "Unknown merge field {{ nmae }}" in wrong.output
    unknown = runner.invoke(args=["mailing", "send", "--list", "nope", "--subject", "x", "--body", str(body)])
    assert unknown.exit_code != 0
    assert "No list or segment “nope”. The lists are: events (Events)" in unknown.output
    done = runner.invoke(args=["mailing", "send", "--list", "Network news", "--subject", "News",
                               "--body", str(body)])
    assert "2 mail(s) queued; the outbox delivers them as this command ends" in done.output, done.output
    runner.invoke(args=["mailings", "send"])  # sends whatever is left, nobody twice
    assert sorted(a for m in smtp.messages for a in m.envelope_to) == ["ada@lyon.example.org",
                                                                       "finn@lyon.example.org"]
    assert "Hello Ada," in smtp.text(smtp.last_to("ada@lyon.example.org"))
    # The older name still works, with the same checks.
    alias = runner.invoke(args=["mailings", "queue", "--list", "events", "--subject", "x", "--body", str(body),
                                "--dry-run"])
    assert alias.exit_code == 0 and "Events: 0 will get it." in alias.output, alias.output


def test_crm_mailing_send_to_a_segment_reaches_its_consenting_contacts_in_their_language(
        app, lists, people, tmp_path, smtp):
    from crm.mailings.segments import save_segment

    Contact.update(languages=["fr"]).where(Contact.id == people["finn"].id).execute()
    save_segment(None, name="Lyon people", mailing_list=lists["network-news"], filters={"regions": ["western_europe"]})
    body = tmp_path / "news.md"
    body.write_text("Bonjour {{ first_name }}.", encoding="utf-8")
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["mailing", "send", "--list", "lyon people", "--subject", "Nouvelles", "--body", str(body),
                              "--language", "fr", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert ("Lyon people (segment of Network news): 2 will get it; 3 will not: 1 do not contact, 1 no consent, "
            "1 no email.") in dry.output
    assert "  1 not subscribed to the list the segment is sent under\n" in dry.output
    done = runner.invoke(args=["mailing", "send", "--list", "Lyon people", "--subject", "Nouvelles",
                               "--body", str(body), "--language", "fr"])
    assert "2 mail(s) queued" in done.output, done.output
    mailing = Mailing.get()
    assert (mailing.segment.name, mailing.language) == ("Lyon people", "fr")
    runner.invoke(args=["mailings", "send"])  # whatever the command's own delivery left
    assert sorted(a for m in smtp.messages for a in m.envelope_to) == ["ada@lyon.example.org",
                                                                       "finn@lyon.example.org"]
    assert all(m["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" for m in smtp.messages)
    assert smtp.last_to("finn@lyon.example.org")["Subject"] == "Nouvelles"
    bad = runner.invoke(args=["mailing", "send", "--list", "Lyon people", "--subject", "x", "--body", str(body),
                              "--language", "xx"])
    assert bad.exit_code != 0 and "“xx” is not a language we know" in bad.output


def test_the_crm_command_finds_the_mailing_commands_without_the_app(app, monkeypatch):
    from click.testing import CliRunner

    import crm
    from crm.cli import main

    def no_app(*args, **kwargs):
        raise AssertionError("help built the app")

    monkeypatch.setattr(crm, "create_app", no_app)
    runner = CliRunner()
    mail_help = runner.invoke(main, ["mail", "--help"], terminal_width=200).output
    assert "send-queued" in mail_help and "bounces" in mail_help and "Read bounce reports (RFC 3464)" in mail_help
    send_help = runner.invoke(main, ["mailing", "send", "--help"], terminal_width=200).output
    assert "--list LIST_OR_SEGMENT" in send_help and "--body FILE.md" in send_help and "--dry-run" in send_help
    assert "Usage: main mail bounces [OPTIONS] FILE" in runner.invoke(main, ["mail", "bounces", "--help"]).output


def test_a_scheduled_mailing_is_queued_by_crm_mailings_send_once_due(app, staff, news_mailing, people, smtp):
    past = staff.post(f"/mailings/{news_mailing.id}/send", data={"schedule_at": "2020-01-01T09:00"})
    assert past.status_code == 200
    html = _html(past)
    assert "Choose a time in the future (UTC)" in html and 'value="2020-01-01T09:00"' in html
    bad = staff.post(f"/mailings/{news_mailing.id}/send", data={"schedule_at": "next tuesday"})
    assert bad.status_code == 200 and Mailing.get_by_id(news_mailing.id).scheduled_at is None
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    done = staff.post(f"/mailings/{news_mailing.id}/send", data={"schedule_at": soon}, follow_redirects=True)
    assert "Scheduled for" in _html(done) and smtp.messages == []
    runner = app.test_cli_runner()
    assert "Sent 0 mailing message(s)" in runner.invoke(args=["mailings", "send"]).output  # not due yet
    assert Mailing.get_by_id(news_mailing.id).is_draft
    Mailing.update(scheduled_at=dt.datetime(2020, 1, 1)).where(Mailing.id == news_mailing.id).execute()  # time passes
    result = runner.invoke(args=["mailings", "send"])
    assert "“News for {{ first_name }}”: 2 mail(s) queued." in result.output, result.output
    assert sorted(a for m in smtp.messages for a in m.envelope_to) == ["ada@lyon.example.org",
                                                                       "finn@lyon.example.org"]
    assert "2 mail(s) queued" not in runner.invoke(args=["mailings", "send"]).output  # queued once only
    assert len(smtp.messages) == 2


def test_crm_mail_send_queued_sends_at_most_the_rate_per_run(app, news_mailing, people, smtp):
    app.config["MAIL_RATE"] = 3
    for n in range(3):
        Contact.create(name=f"P{n}", name_key=f"p{n}", email=f"p{n}@example.org")
    assert services.queue_mailing(news_mailing) == 5
    runner = app.test_cli_runner()
    first = runner.invoke(args=["mail", "send-queued"])
    assert "Sent 3 mail(s)" in first.output and len(smtp.messages) == 3
    assert "Sent 2 mail(s)" in runner.invoke(args=["mail", "send-queued"]).output
    assert len({a for m in smtp.messages for a in m.envelope_to}) == len(smtp.messages) == 5
