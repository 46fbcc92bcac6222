"""011: a sender claims an outbox mail (status 'sending', claimed_at) before sending it, so no mail goes twice."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields('outbox_mail', claimed_at=pw.DateTimeField(null=True))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_fields('outbox_mail', 'claimed_at')
