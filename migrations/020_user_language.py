"""020: each user may choose the interface language (en, fr, es, ar); empty means not chosen yet."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields('user_account', language=pw.CharField(default='', max_length=8))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_fields('user_account', 'language')
