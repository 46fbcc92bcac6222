"""004: contacts' folded names, city roles, erasure, and merge records."""

import peewee as pw
from peewee_migrate import Migrator

from crm.core.schema import create_table, foreign_key


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields(
        'contact',
        name_key=pw.CharField(default='', index=True, max_length=200),
        city_role=pw.CharField(default='', max_length=20),
        erased_at=pw.DateTimeField(null=True))
    # The list is sorted by (name_key, id): one index serves the first page and deep pages alike.
    migrator.add_index('contact', 'name_key', 'id')

    create_table(migrator, "ContactMerge", "contact_merge",
                 kept=foreign_key(migrator, 'contact', on_delete='CASCADE'),
                 merged_contact_id=pw.IntegerField(index=True),
                 merged_name=pw.CharField(max_length=200),
                 data_json=pw.TextField(default='{}'),
                 created_at=pw.DateTimeField(),
                 actor=foreign_key(migrator, 'user_account', null=True, on_delete='SET NULL'))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model('contact_merge')
    migrator.drop_index('contact', 'name_key', 'id')
    migrator.drop_index('contact', 'name_key')
    migrator.remove_fields('contact', 'name_key', 'city_role', 'erased_at')
