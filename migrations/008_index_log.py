"""008: the index change log (written with each change to a searchable record, applied after commit)."""

import peewee as pw
from peewee_migrate import Migrator

from crm.core.schema import create_table


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    create_table(migrator, "IndexChange", "index_change",
                 doc_id=pw.CharField(index=True, max_length=80),
                 op=pw.CharField(default='upsert', max_length=10),
                 created_at=pw.DateTimeField())


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model("index_change")
