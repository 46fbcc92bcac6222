"""023: saved filters ("smart groups"): a list page's query string named by a staff user, own or shared."""

import datetime as dt

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class SavedFilter(pw.Model):
        id = pw.AutoField()
        owner = pw.ForeignKeyField(column_name='owner_id', field='id', model=migrator.orm['user_account'],
                                   on_delete='CASCADE')
        page = pw.CharField(max_length=60)
        name = pw.CharField(max_length=100)
        query = pw.TextField(default='')
        shared = pw.BooleanField(default=False)
        created_at = pw.DateTimeField(default=dt.datetime.now)

        class Meta:
            table_name = 'saved_filter'
            indexes = [(('owner', 'page', 'name'), True)]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model('saved_filter')
