"""024: covering indexes for a city's latest activity (the dormant members list reads every city's at once)."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_index('event_registration', 'contact', 'created_at', 'checked_in_at')
    migrator.add_index('event_invitation', 'contact', 'answered_at')


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.drop_index('event_invitation', 'contact', 'answered_at')
    migrator.drop_index('event_registration', 'contact', 'created_at', 'checked_in_at')
