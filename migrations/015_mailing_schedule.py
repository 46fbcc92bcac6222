"""015: a mailing may be scheduled: `crm mailings send` queues it once its time has come."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields('mailing', scheduled_at=pw.DateTimeField(null=True, index=True))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.drop_index('mailing', 'scheduled_at')
    migrator.remove_fields('mailing', 'scheduled_at')
