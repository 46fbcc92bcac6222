"""009: at most one open application per authority (same folded name, country and level), even under a race."""

import peewee as pw
from peewee_migrate import Migrator

INDEX = "application_one_open_per_authority"


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.sql(f"CREATE UNIQUE INDEX {INDEX} ON application (name_key, country, level) "
                 "WHERE status IN ('submitted', 'info_requested')")


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.sql(f"DROP INDEX {INDEX}")
