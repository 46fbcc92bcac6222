"""012: import jobs: an uploaded CSV file is checked and imported in the background, its state kept here."""

import peewee as pw
from peewee_migrate import Migrator

from crm.core.schema import create_table


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    create_table(migrator, "ImportJob", "import_job",
                 kind=pw.CharField(max_length=20),
                 state=pw.CharField(default='checking', max_length=20),
                 mode=pw.CharField(default='skip', max_length=10),
                 only_valid=pw.BooleanField(default=False),
                 actor_id=pw.IntegerField(null=True),
                 filename=pw.CharField(default='', max_length=200),
                 text=pw.TextField(default=''),
                 rows_done=pw.IntegerField(default=0),
                 rows_total=pw.IntegerField(default=0),
                 report=pw.TextField(default='{}'),
                 message=pw.TextField(default=''),
                 created_at=pw.DateTimeField(),
                 updated_at=pw.DateTimeField())


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model("import_job")
