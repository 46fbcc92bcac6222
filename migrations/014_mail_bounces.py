"""014: bounce reports read from RFC 3464 delivery status notifications; hard bounces mark an address bouncing."""

import peewee as pw
from peewee_migrate import Migrator

from crm.core.schema import create_table


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    create_table(migrator, "MailBounce", "mail_bounce",
                 email=pw.CharField(index=True, max_length=254),
                 report_id=pw.CharField(max_length=300),
                 action=pw.CharField(default='', max_length=20),
                 status=pw.CharField(default='', max_length=20),
                 hard=pw.BooleanField(default=False),
                 diagnostic=pw.TextField(default=''),
                 created_at=pw.DateTimeField(),
                 indexes=[(('report_id', 'email'), True)])


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model('mail_bounce')
