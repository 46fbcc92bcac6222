"""017: each staff member's anniversaries calendar feed key (rotating it ends the old link; deleting revokes it)."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class AnniversaryFeed(pw.Model):
        id = pw.AutoField()
        user = pw.ForeignKeyField(column_name='user_id', field='id', model=migrator.orm['user_account'],
                                  on_delete='CASCADE', unique=True)
        key = pw.CharField(max_length=32)
        created_at = pw.DateTimeField()
        last_used_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "anniversary_feed"


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model('anniversary_feed')
