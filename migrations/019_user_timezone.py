"""019: each user has a time zone (their browser's, detected once, or chosen); empty means not known yet."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields('user_account', timezone=pw.CharField(default='', max_length=64))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_fields('user_account', 'timezone')
