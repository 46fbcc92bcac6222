"""007: incident workspaces of member cities, toolkit ticks, advice requests."""

import peewee as pw
from peewee_migrate import Migrator

from crm.core.schema import create_table, drop_tables, foreign_key


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    create_table(migrator, "Workspace", "workspace",
                 city=foreign_key(migrator, 'city', on_delete='CASCADE'),
                 title=pw.CharField(max_length=300),
                 description=pw.TextField(),
                 language=pw.CharField(default='', max_length=5),
                 facets=pw.TextField(),
                 phase=pw.CharField(default='first_24_hours', max_length=30),
                 needs=pw.TextField(default=''),
                 need_themes=pw.TextField(),
                 status=pw.CharField(default='open', index=True, max_length=20),
                 created_by=foreign_key(migrator, 'user_account', null=True, on_delete='SET NULL'),
                 created_at=pw.DateTimeField(),
                 updated_at=pw.DateTimeField())

    create_table(migrator, "ToolkitTick", "toolkit_tick",
                 workspace=foreign_key(migrator, 'workspace', on_delete='CASCADE'),
                 item=foreign_key(migrator, 'toolkit_item', on_delete='CASCADE'),
                 ticked_by=foreign_key(migrator, 'user_account', null=True, on_delete='SET NULL'),
                 ticked_at=pw.DateTimeField(),
                 indexes=[(('workspace', 'item'), True)])

    create_table(migrator, "AdviceRequest", "advice_request",
                 workspace=foreign_key(migrator, 'workspace', on_delete='CASCADE'),
                 peer_city=foreign_key(migrator, 'city', on_delete='CASCADE'),
                 message=pw.TextField(),
                 urgent=pw.BooleanField(default=False),
                 status=pw.CharField(default='requested', index=True, max_length=20),
                 requested_by=foreign_key(migrator, 'user_account', null=True, on_delete='SET NULL'),
                 created_at=pw.DateTimeField(index=True),
                 forwarded_at=pw.DateTimeField(null=True),
                 forwarded_by=foreign_key(migrator, 'user_account', null=True, on_delete='SET NULL'),
                 forwarded_to=pw.CharField(default='', max_length=254),
                 staff_note=pw.TextField(default=''),
                 answered_at=pw.DateTimeField(null=True),
                 answer_note=pw.TextField(default=''),
                 flagged_at=pw.DateTimeField(null=True))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    drop_tables(migrator, "advice_request", "toolkit_tick", "workspace")
