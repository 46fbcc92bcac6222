"""002: member cities and contacts."""

import peewee as pw
from peewee_migrate import Migrator

from crm.core.schema import create_table, drop_tables, foreign_key


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    create_table(migrator, "City", "city",
                 name=pw.CharField(index=True, max_length=200),
                 name_key=pw.CharField(index=True, max_length=200),
                 country=pw.CharField(index=True, max_length=2),
                 region=pw.CharField(default='', index=True, max_length=60),
                 level=pw.CharField(default='city', max_length=40),
                 population=pw.IntegerField(null=True),
                 website=pw.CharField(default='', max_length=300),
                 languages=pw.TextField(),
                 expertise=pw.TextField(),
                 status=pw.CharField(default='active', index=True, max_length=20),
                 joined_on=pw.DateField(null=True),
                 focal_point_available=pw.BooleanField(default=True),
                 created_at=pw.DateTimeField(),
                 updated_at=pw.DateTimeField())

    create_table(migrator, "Contact", "contact",
                 name=pw.CharField(index=True, max_length=200),
                 email=pw.CharField(max_length=254, null=True, unique=True),
                 position=pw.CharField(default='', max_length=200),
                 organisation=pw.CharField(default='', index=True, max_length=200),
                 sector=pw.CharField(default='other', index=True, max_length=40),
                 city=foreign_key(migrator, 'city', null=True, on_delete='SET NULL'),
                 phone=pw.CharField(default='', max_length=60),
                 languages=pw.TextField(),
                 tags=pw.TextField(),
                 notes=pw.TextField(default=''),
                 accepts_event_invitations=pw.BooleanField(default=True),
                 accepts_network_news=pw.BooleanField(default=True),
                 do_not_contact=pw.BooleanField(default=False),
                 created_at=pw.DateTimeField(),
                 updated_at=pw.DateTimeField())


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    drop_tables(migrator, "contact", "city")
