"""007: incident workspaces of member cities, toolkit ticks, advice requests."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class Workspace(pw.Model):
        id = pw.AutoField()
        city = pw.ForeignKeyField(column_name='city_id', field='id', model=migrator.orm['city'], on_delete='CASCADE')
        title = pw.CharField(max_length=300)
        description = pw.TextField()
        language = pw.CharField(default='', max_length=5)
        facets = pw.TextField()
        phase = pw.CharField(default='first_24_hours', max_length=30)
        needs = pw.TextField(default='')
        need_themes = pw.TextField()
        status = pw.CharField(default='open', index=True, max_length=20)
        created_by = pw.ForeignKeyField(column_name='created_by_id', field='id', model=migrator.orm['user_account'], null=True, on_delete='SET NULL')
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "workspace"

    @migrator.create_model
    class ToolkitTick(pw.Model):
        id = pw.AutoField()
        workspace = pw.ForeignKeyField(column_name='workspace_id', field='id', model=migrator.orm['workspace'], on_delete='CASCADE')
        item = pw.ForeignKeyField(column_name='item_id', field='id', model=migrator.orm['toolkit_item'], on_delete='CASCADE')
        ticked_by = pw.ForeignKeyField(column_name='ticked_by_id', field='id', model=migrator.orm['user_account'], null=True, on_delete='SET NULL')
        ticked_at = pw.DateTimeField()

        class Meta:
            table_name = "toolkit_tick"
            indexes = [(('workspace', 'item'), True)]

    @migrator.create_model
    class AdviceRequest(pw.Model):
        id = pw.AutoField()
        workspace = pw.ForeignKeyField(column_name='workspace_id', field='id', model=migrator.orm['workspace'], on_delete='CASCADE')
        peer_city = pw.ForeignKeyField(column_name='peer_city_id', field='id', model=migrator.orm['city'], on_delete='CASCADE')
        message = pw.TextField()
        urgent = pw.BooleanField(default=False)
        status = pw.CharField(default='requested', index=True, max_length=20)
        requested_by = pw.ForeignKeyField(column_name='requested_by_id', field='id', model=migrator.orm['user_account'], null=True, on_delete='SET NULL')
        created_at = pw.DateTimeField(index=True)
        forwarded_at = pw.DateTimeField(null=True)
        forwarded_by = pw.ForeignKeyField(column_name='forwarded_by_id', field='id', model=migrator.orm['user_account'], null=True, on_delete='SET NULL')
        forwarded_to = pw.CharField(default='', max_length=254)
        staff_note = pw.TextField(default='')
        answered_at = pw.DateTimeField(null=True)
        answer_note = pw.TextField(default='')
        flagged_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "advice_request"


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    for table in ("advice_request", "toolkit_tick", "workspace"):
        migrator.remove_model(table)
