"""012: import jobs: an uploaded CSV file is checked and imported in the background, its state kept here."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class ImportJob(pw.Model):
        id = pw.AutoField()
        kind = pw.CharField(max_length=20)
        state = pw.CharField(default='checking', max_length=20)
        mode = pw.CharField(default='skip', max_length=10)
        only_valid = pw.BooleanField(default=False)
        actor_id = pw.IntegerField(null=True)
        filename = pw.CharField(default='', max_length=200)
        text = pw.TextField(default='')
        rows_done = pw.IntegerField(default=0)
        rows_total = pw.IntegerField(default=0)
        report = pw.TextField(default='{}')
        message = pw.TextField(default='')
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "import_job"


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model("import_job")
