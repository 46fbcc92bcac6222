"""001: users, the audit log and the mail outbox."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class User(pw.Model):
        id = pw.AutoField()
        email = pw.CharField(max_length=254, unique=True)
        name = pw.CharField(max_length=200)
        role = pw.CharField(index=True, max_length=20)
        password_hash = pw.CharField(default='', max_length=255)
        active = pw.BooleanField(default=True)
        created_at = pw.DateTimeField()
        invited_at = pw.DateTimeField(null=True)
        last_login_at = pw.DateTimeField(null=True)
        password_changed_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "user_account"

    @migrator.create_model
    class AuditEntry(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField(index=True)
        actor = pw.ForeignKeyField(column_name='actor_id', field='id', model=migrator.orm['user_account'], null=True, on_delete='SET NULL')
        actor_email = pw.CharField(default='', max_length=254)
        action = pw.CharField(index=True, max_length=60)
        object_type = pw.CharField(index=True, max_length=60)
        object_id = pw.CharField(default='', index=True, max_length=60)
        summary = pw.CharField(default='', max_length=300)
        changes_json = pw.TextField(default='{}')
        ip_address = pw.CharField(default='', max_length=64)

        class Meta:
            table_name = "audit_entry"

    @migrator.create_model
    class OutboxMail(pw.Model):
        id = pw.AutoField()
        recipient = pw.CharField(index=True, max_length=254)
        subject = pw.CharField(max_length=300)
        text_body = pw.TextField()
        html_body = pw.TextField(default='')
        attachments_json = pw.TextField(default='[]')
        template = pw.CharField(default='', max_length=100)
        status = pw.CharField(default='queued', index=True, max_length=10)
        attempts = pw.IntegerField(default=0)
        last_error = pw.TextField(default='')
        created_at = pw.DateTimeField(index=True)
        next_attempt_at = pw.DateTimeField(index=True)
        sent_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "outbox_mail"


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model('outbox_mail')

    migrator.remove_model('audit_entry')

    migrator.remove_model('user_account')
