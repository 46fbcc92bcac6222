"""014: bounce reports read from RFC 3464 delivery status notifications; hard bounces mark an address bouncing."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class MailBounce(pw.Model):
        id = pw.AutoField()
        email = pw.CharField(index=True, max_length=254)
        report_id = pw.CharField(max_length=300)
        action = pw.CharField(default='', max_length=20)
        status = pw.CharField(default='', max_length=20)
        hard = pw.BooleanField(default=False)
        diagnostic = pw.TextField(default='')
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "mail_bounce"
            indexes = [(('report_id', 'email'), True)]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model('mail_bounce')
