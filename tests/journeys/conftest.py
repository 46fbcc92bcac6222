"""A small network with a history: one engaged city with a record of each kind, a dormant one, a new one."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from crm.contacts.models import Contact
from crm.core.names import fold_name
from crm.db import utcnow
from crm.events.models import Event, Invitation, Registration, Session, SessionSpeaker
from crm.incidents.models import Incident
from crm.lessons.models import Lesson
from crm.mail import OutboxMail
from crm.mailings.models import Delivery, Mailing, MailingList
from crm.membership.models import Application, ApplicationEvent, City, CityStatusChange
from crm.workspace.models import AdviceRequest, Workspace

NOW = utcnow().replace(microsecond=0)


def ago(days: int, hours: int = 0) -> dt.datetime:
    return NOW - dt.timedelta(days=days, hours=hours)


def city(name, *, status="active", joined_days=2000, region="western_europe", country="FR") -> City:
    return City.create(name=name, name_key=fold_name(name), country=country, region=region, status=status,
                       joined_on=ago(joined_days).date(), created_at=ago(joined_days))


def contact(name, home, *, role="", email=None) -> Contact:
    email = email or f"{fold_name(name).split()[0]}@{fold_name(home.name).replace(' ', '')}.example"
    return Contact.create(name=name, name_key=fold_name(name), email=email, city=home, city_role=role)


def event(title, days_ago, *, status="completed") -> Event:
    return Event.create(title=title, starts_at=ago(days_ago), ends_at=ago(days_ago) + dt.timedelta(hours=6),
                        status=status, visibility="members")


def mail(to, subject, days_ago) -> OutboxMail:
    return OutboxMail.create(recipient=to, subject=subject, text_body="Hello", status="sent",
                             created_at=ago(days_ago), sent_at=ago(days_ago), next_attempt_at=ago(days_ago))


@pytest.fixture
def history(app):
    """Engaged Rivertown (a record of every kind, dated), Quietville (dormant), Newham (joined last month)."""
    river = city("Rivertown", joined_days=900)
    quiet = city("Quietville", joined_days=1500, region="north_america", country="CA")
    new = city("Newham", joined_days=30)
    gone = city("Goneburg", status="withdrawn", joined_days=3000)
    peer = city("Peerford", joined_days=800, region="north_america", country="US")

    ana = contact("Ana Focal", river, role="focal_point")
    ben = contact("Ben Colleague", river)
    quinn = contact("Quinn Quiet", quiet, role="focal_point")
    pat = contact("Pat Peer", peer, role="focal_point")

    application = Application.create(
        reference="SCN-2024-0001", authority_name="Rivertown", name_key="rivertown", level="city", country="FR",
        applicant_name="Ana Focal", applicant_email="applicant@rivertown.example", consent_at=ago(910),
        consent_version="1", status="approved", city=river, submitted_at=ago(910))
    ApplicationEvent.create(application=application, action="submitted", status="submitted", created_at=ago(910))
    ApplicationEvent.create(application=application, action="approved", status="approved", created_at=ago(900),
                            actor_label="Desk Officer")
    CityStatusChange.create(city=river, old_status="active", status="suspended", reason="No focal point",
                            changed_on=ago(600).date(), created_at=ago(600))
    CityStatusChange.create(city=river, old_status="suspended", status="active", reason="Focal point named",
                            changed_on=ago(500).date(), created_at=ago(500))
    incident = Incident.create(city=river, title="Arson at the community centre", occurred_on=ago(400).date())

    summit = event("Regional summit", 200)
    webinar = event("Old webinar", 450)
    secret = event("Draft retreat", 100, status="draft")
    Invitation.create(event=summit, contact=ana, status="accepted", sent_at=ago(230), answered_at=ago(225))
    Invitation.create(event=summit, contact=ben, sent_at=ago(230))
    Registration.create(event=summit, contact=ana, status="registered", created_at=ago(225), checked_in_at=ago(200))
    Registration.create(event=summit, contact=ben, status="registered", created_at=ago(220), checked_in_at=ago(200))
    Registration.create(event=webinar, contact=ana, status="registered", created_at=ago(460), checked_in_at=ago(450))
    Invitation.create(event=secret, contact=ana, sent_at=ago(120))  # a draft: staff only
    session = Session.create(event=summit, starts_at=ago(200), ends_at=ago(200) + dt.timedelta(hours=1),
                             title="Rebuilding trust after arson")
    SessionSpeaker.create(session=session, contact=ana)

    lesson = Lesson.create(city=river, incident=incident, title="Talking to families first", phase="first_week",
                           status="published", created_at=ago(300), submitted_at=ago(290), published_at=ago(280))
    workspace = Workspace.create(city=river, title="Hate graffiti wave", description="Graffiti on homes",
                                 status="open", created_at=ago(90), updated_at=ago(90))
    advice = AdviceRequest.create(workspace=workspace, peer_city=peer, message="How did you clean up?",
                                  status="accepted", created_at=ago(80), forwarded_at=ago(79),
                                  forwarded_to=pat.email, answered_at=ago(75))
    # Peerford asked Rivertown for advice: Peerford's confidential request (staff only on Rivertown's journey)
    peer_ws = Workspace.create(city=peer, title="Peerford confidential flood of threats", description="x",
                               created_at=ago(60), updated_at=ago(60))
    received = AdviceRequest.create(workspace=peer_ws, peer_city=river, message="Help", status="forwarded",
                                    created_at=ago(60), forwarded_at=ago(59), forwarded_to=ana.email)

    personal = mail(ana.email, "Your personal invitation, Ana", 230)
    news = MailingList.create(slug="journey-news", name="Journey news")
    mailing = Mailing.create(mailing_list=news, subject="Network news", queued_at=ago(40))
    newsletter = mail(ana.email, "Network news", 40)
    Delivery.create(mailing=mailing, contact=ana, email=ana.email, outbox_mail_id=newsletter.id)
    mail("applicant@rivertown.example", "Your application SCN-2024-0001 is approved", 900)
    mail("someone@elsewhere.example", "Not Rivertown's mail", 10)

    # Quietville: attended once, two years ago; its old lesson was written three years ago
    old = event("Old workshop", 730)
    Registration.create(event=old, contact=quinn, status="registered", created_at=ago(740), checked_in_at=ago(730))
    Lesson.create(city=quiet, title="Quiet lesson", phase="long_term", status="published", created_at=ago(1100))

    return SimpleNamespace(river=river, quiet=quiet, new=new, gone=gone, peer=peer, ana=ana, ben=ben, quinn=quinn,
                           pat=pat, application=application, incident=incident, summit=summit, webinar=webinar,
                           secret=secret, lesson=lesson, workspace=workspace, advice=advice, peer_ws=peer_ws,
                           received=received, personal=personal, newsletter=newsletter, mailing=mailing)
