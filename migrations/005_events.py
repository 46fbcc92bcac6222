"""005: events, their agenda (sessions and speakers), invitations and registrations."""

import peewee as pw
from peewee_migrate import Migrator

from crm.core.schema import create_table, drop_tables, foreign_key


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    create_table(migrator, "Event", "event",
                 title=pw.CharField(max_length=200),
                 kind=pw.CharField(default='workshop', index=True, max_length=30),
                 description=pw.TextField(default=''),
                 host_city=foreign_key(migrator, 'city', null=True, on_delete='SET NULL'),
                 venue=pw.CharField(default='', max_length=200),
                 address=pw.CharField(default='', max_length=300),
                 online_url=pw.CharField(default='', max_length=500),
                 timezone=pw.CharField(default='UTC', max_length=60),
                 starts_at=pw.DateTimeField(index=True),
                 ends_at=pw.DateTimeField(),
                 capacity=pw.IntegerField(null=True),
                 waiting_list=pw.BooleanField(default=True),
                 registration_opens_at=pw.DateTimeField(null=True),
                 registration_closes_at=pw.DateTimeField(null=True),
                 audience_sectors=pw.TextField(),
                 visibility=pw.CharField(default='members', index=True, max_length=20),
                 status=pw.CharField(default='draft', index=True, max_length=20),
                 offer_hours=pw.IntegerField(default=48),
                 reminder_days=pw.IntegerField(default=3),
                 invitation_reminder_days=pw.IntegerField(default=7),
                 cancellation_reason=pw.TextField(default=''),
                 created_by=foreign_key(migrator, 'user_account', null=True, on_delete='SET NULL'),
                 created_at=pw.DateTimeField(),
                 updated_at=pw.DateTimeField(),
                 published_at=pw.DateTimeField(null=True),
                 cancelled_at=pw.DateTimeField(null=True))

    create_table(migrator, "Invitation", "event_invitation",
                 event=foreign_key(migrator, 'event', on_delete='CASCADE'),
                 contact=foreign_key(migrator, 'contact', on_delete='CASCADE'),
                 status=pw.CharField(default='pending', index=True, max_length=20),
                 invited_by=foreign_key(migrator, 'user_account', null=True, on_delete='SET NULL'),
                 message=pw.TextField(default=''),
                 sent_at=pw.DateTimeField(),
                 answered_at=pw.DateTimeField(null=True),
                 last_reminded_at=pw.DateTimeField(null=True),
                 reminders_sent=pw.IntegerField(default=0),
                 indexes=[(('event', 'contact'), True)])

    create_table(migrator, "Registration", "event_registration",
                 event=foreign_key(migrator, 'event', on_delete='CASCADE'),
                 contact=foreign_key(migrator, 'contact', on_delete='CASCADE'),
                 status=pw.CharField(index=True, max_length=20),
                 waiting_position=pw.IntegerField(null=True),
                 offered_at=pw.DateTimeField(null=True),
                 offer_expires_at=pw.DateTimeField(index=True, null=True),
                 source=pw.CharField(default='member', max_length=20),
                 organisation=pw.CharField(default='', max_length=200),
                 sector=pw.CharField(default='', max_length=40),
                 accessibility_needs=pw.TextField(default=''),
                 dietary_needs=pw.TextField(default=''),
                 consent_listed=pw.BooleanField(default=False),
                 consent_share_email=pw.BooleanField(default=False),
                 checked_in_at=pw.DateTimeField(null=True),
                 reminder_sent_at=pw.DateTimeField(null=True),
                 registered_at=pw.DateTimeField(null=True),
                 cancelled_at=pw.DateTimeField(null=True),
                 created_at=pw.DateTimeField(),
                 updated_at=pw.DateTimeField(),
                 indexes=[(('event', 'contact'), True), (('event', 'status'), False)])

    create_table(migrator, "Session", "event_session",
                 event=foreign_key(migrator, 'event', on_delete='CASCADE'),
                 starts_at=pw.DateTimeField(),
                 ends_at=pw.DateTimeField(),
                 title=pw.CharField(max_length=200),
                 kind=pw.CharField(default='session', max_length=30),
                 place=pw.CharField(default='', max_length=200),
                 description=pw.TextField(default=''))

    create_table(migrator, "SessionSpeaker", "event_session_speaker",
                 session=foreign_key(migrator, 'event_session', on_delete='CASCADE'),
                 contact=foreign_key(migrator, 'contact', on_delete='CASCADE'),
                 indexes=[(('session', 'contact'), True)])


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    drop_tables(migrator, "event_session_speaker", "event_session", "event_registration", "event_invitation", "event")
