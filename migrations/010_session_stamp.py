"""010: a session stamp on each user, changed with the password, so a reset ends every other session."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields('user_account', session_stamp=pw.CharField(default='', max_length=32))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_fields('user_account', 'session_stamp')
