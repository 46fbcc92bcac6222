"""001: users, the audit log and the mail outbox."""

import peewee as pw
from peewee_migrate import Migrator

from crm.core.schema import create_table, drop_tables, foreign_key


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    create_table(migrator, "User", "user_account",
                 email=pw.CharField(max_length=254, unique=True),
                 name=pw.CharField(max_length=200),
                 role=pw.CharField(index=True, max_length=20),
                 password_hash=pw.CharField(default='', max_length=255),
                 active=pw.BooleanField(default=True),
                 created_at=pw.DateTimeField(),
                 invited_at=pw.DateTimeField(null=True),
                 last_login_at=pw.DateTimeField(null=True),
                 password_changed_at=pw.DateTimeField(null=True))

    create_table(migrator, "AuditEntry", "audit_entry",
                 created_at=pw.DateTimeField(index=True),
                 actor=foreign_key(migrator, 'user_account', null=True, on_delete='SET NULL'),
                 actor_email=pw.CharField(default='', max_length=254),
                 action=pw.CharField(index=True, max_length=60),
                 object_type=pw.CharField(index=True, max_length=60),
                 object_id=pw.CharField(default='', index=True, max_length=60),
                 summary=pw.CharField(default='', max_length=300),
                 changes_json=pw.TextField(default='{}'),
                 ip_address=pw.CharField(default='', max_length=64))

    create_table(migrator, "OutboxMail", "outbox_mail",
                 recipient=pw.CharField(index=True, max_length=254),
                 subject=pw.CharField(max_length=300),
                 text_body=pw.TextField(),
                 html_body=pw.TextField(default=''),
                 attachments_json=pw.TextField(default='[]'),
                 template=pw.CharField(default='', max_length=100),
                 status=pw.CharField(default='queued', index=True, max_length=10),
                 attempts=pw.IntegerField(default=0),
                 last_error=pw.TextField(default=''),
                 created_at=pw.DateTimeField(index=True),
                 next_attempt_at=pw.DateTimeField(index=True),
                 sent_at=pw.DateTimeField(null=True))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    drop_tables(migrator, "outbox_mail", "audit_entry", "user_account")
