"""008: the index change log (written with each change to a searchable record, applied after commit)."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class IndexChange(pw.Model):
        id = pw.AutoField()
        doc_id = pw.CharField(index=True, max_length=80)
        op = pw.CharField(default='upsert', max_length=10)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "index_change"


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model("index_change")
