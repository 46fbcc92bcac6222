"""018: a mailing has one version per language; each delivery records the language its recipient got."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields('mailing', language=pw.CharField(default='en', max_length=8))
    migrator.add_fields('delivery', language=pw.CharField(default='', max_length=8))

    @migrator.create_model
    class MailingVersion(pw.Model):
        id = pw.AutoField()
        mailing = pw.ForeignKeyField(column_name='mailing_id', field='id', model=migrator.orm['mailing'],
                                     on_delete='CASCADE')
        language = pw.CharField(max_length=8)
        subject = pw.CharField(max_length=200)
        body = pw.TextField(default='')
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "mailing_version"
            indexes = [(('mailing', 'language'), True)]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model('mailing_version')
    migrator.remove_fields('delivery', 'language')
    migrator.remove_fields('mailing', 'language')
