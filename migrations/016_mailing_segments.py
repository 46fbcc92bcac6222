"""016: segments (saved filters of contacts and cities); a mailing may go to a segment of a list."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class Segment(pw.Model):
        id = pw.AutoField()
        name = pw.CharField(max_length=120, unique=True)
        mailing_list = pw.ForeignKeyField(column_name='mailing_list_id', field='id', model=migrator.orm['mailing_list'],
                                          on_delete='RESTRICT')
        filters_json = pw.TextField(default='{}')
        created_by = pw.ForeignKeyField(column_name='created_by_id', field='id', model=migrator.orm['user_account'],
                                        null=True, on_delete='SET NULL')
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "segment"

    migrator.add_fields('mailing', segment=pw.ForeignKeyField(column_name='segment_id', field='id',
                                                              model=migrator.orm['segment'], null=True,
                                                              on_delete='RESTRICT'))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.drop_index('mailing', 'segment')
    migrator.remove_fields('mailing', 'segment')
    migrator.remove_model('segment')
