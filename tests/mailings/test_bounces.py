"""Bounce reports (RFC 3464) from an mbox or a folder of .eml files mark an address bouncing; mailings skip it."""

import mailbox

from crm.mailings import services
from crm.mailings.bounces import bouncing_emails
from crm.mailings.models import MailBounce


def dsn(number, address, *, action="failed", status="5.1.1", diagnostic="550 5.1.1 User unknown"):
    """A delivery status notification as Postfix writes it."""
    return f"""From: MAILER-DAEMON@mx.example.net
To: noreply@example.org
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn-{number}@mx.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net. Your message could not be delivered.

--BOUNDARY
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
Arrival-Date: Tue, 1 Dec 2026 10:00:00 +0000

Final-Recipient: rfc822; {address}
Original-Recipient: rfc822;{address}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; {diagnostic}

--BOUNDARY
Content-Type: text/rfc822-headers

Subject: News

--BOUNDARY--
"""


def test_hard_bounces_from_mbox_and_eml_folder_mark_an_address_and_the_next_mailing_skips_it(
        app, tmp_path, news_mailing, people, lists, login_as, smtp):
    app.config["MAIL_BOUNCE_LIMIT"] = 2
    services.queue_mailing(news_mailing)
    services.send_queued_mailings(rate=0)
    box = mailbox.mbox(str(tmp_path / "bounces.mbox"))
    box.add(dsn(1, "finn@lyon.example.org"))
    box.add(dsn(2, "ada@lyon.example.org", action="delayed", status="4.4.1", diagnostic="connection timed out"))
    box.add("From: someone@example.org\nSubject: Out of office\n\nBack on Monday.\n")
    box.flush()
    box.close()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["mail", "bounces", str(tmp_path / "bounces.mbox")])
    assert result.exit_code == 0, result.output
    assert "Read 2 bounce report(s): 1 hard and 1 soft bounce(s) recorded, 0 already known; 1 other" in result.output
    assert bouncing_emails() == {}  # one hard bounce is not enough (limit 2)
    again = runner.invoke(args=["mailings", "bounces", str(tmp_path / "bounces.mbox")])
    assert "0 hard and 0 soft bounce(s) recorded, 2 already known" in again.output
    assert MailBounce.select().count() == 2

    folder = tmp_path / "eml"
    folder.mkdir()
    (folder / "3.eml").write_text(dsn(3, "Finn@Lyon.example.org", diagnostic="550 mailbox disabled"))
    (folder / "4.eml").write_text(dsn(4, "ada@lyon.example.org", action="delayed", status="4.4.1"))
    result = runner.invoke(args=["mail", "bounces", str(folder)])
    assert "1 hard and 1 soft" in result.output and "1 address(es) are bouncing" in result.output
    assert bouncing_emails() == {"finn@lyon.example.org": 2}  # soft bounces never mark Ada

    assert "1 will get it; 3 will not: 1 do not contact, 1 bouncing, 1 no email." == \
        services.audience(lists["network-news"]).summary()
    second = services.save_mailing(None, mailing_list=lists["network-news"], subject="Second", body="Again")
    services.queue_mailing(second)
    services.send_queued_mailings(rate=0)
    assert [m["Subject"] for m in smtp.to("finn@lyon.example.org")] == ["News for Finn"]
    assert [m["Subject"] for m in smtp.to("ada@lyon.example.org")] == ["News for Ada", "Second"]
    # The first mailing's report and the contact's page say so.
    rows = {r["delivery"].email: r for r in services.report(news_mailing)["rows"]}
    assert rows["finn@lyon.example.org"]["status"] == "bounced"
    assert "550" in rows["finn@lyon.example.org"]["reason"]
    staff = login_as("staff")
    page = " ".join(staff.get(f"/mailings/contacts/{people['finn'].id}").get_data(as_text=True).split())
    assert "finn@lyon.example.org is bouncing" in page and "hard, 5.1.1" in page


def test_erasing_a_contact_blanks_their_address_on_deliveries_and_forgets_their_bounces(
        app, tmp_path, news_mailing, people, make_user, smtp):
    from crm.contacts.services import erase_contact
    from crm.mailings.models import Delivery

    services.queue_mailing(news_mailing)
    (tmp_path / "1.eml").write_text(dsn(1, "finn@lyon.example.org"))
    app.test_cli_runner().invoke(args=["mailings", "bounces", str(tmp_path / "1.eml")])
    assert MailBounce.select().count() == 1
    erase_contact(people["finn"], actor=make_user("admin"))
    assert Delivery.get(Delivery.contact == people["finn"]).email == ""
    assert Delivery.get(Delivery.contact == people["ada"]).email == "ada@lyon.example.org"
    assert MailBounce.select().count() == 0
    assert services.report(news_mailing)["counts"]["queued"] + services.report(news_mailing)["counts"]["sent"] == 2
