"""021: each contact may have a preferred language for the mail they get (en, fr, es, ar); empty means not known."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields('contact', language=pw.CharField(default='', max_length=8))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_fields('contact', 'language')
