"""003: membership applications, their history, city status history, and member users' city."""

import peewee as pw
from peewee_migrate import Migrator

from crm.core.schema import create_table, drop_tables, foreign_key


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields(
        'user_account',
        city=foreign_key(migrator, 'city', null=True, on_delete='SET NULL'))

    create_table(migrator, "Application", "application",
                 reference=pw.CharField(max_length=20, unique=True),
                 authority_name=pw.CharField(max_length=200),
                 name_key=pw.CharField(index=True, max_length=200),
                 level=pw.CharField(max_length=40),
                 country=pw.CharField(index=True, max_length=2),
                 region=pw.CharField(default='', index=True, max_length=60),
                 population=pw.IntegerField(null=True),
                 website=pw.CharField(default='', max_length=300),
                 languages=pw.TextField(),
                 applicant_name=pw.CharField(max_length=200),
                 applicant_position=pw.CharField(default='', max_length=200),
                 applicant_email=pw.CharField(max_length=254),
                 applicant_phone=pw.CharField(default='', max_length=60),
                 leader_name=pw.CharField(default='', max_length=200),
                 leader_position=pw.CharField(default='', max_length=200),
                 focal_name=pw.CharField(default='', max_length=200),
                 focal_position=pw.CharField(default='', max_length=200),
                 focal_email=pw.CharField(default='', max_length=254),
                 expertise=pw.TextField(),
                 expertise_other=pw.CharField(default='', max_length=500),
                 incident_experience=pw.TextField(default=''),
                 motivation=pw.TextField(default=''),
                 consent_at=pw.DateTimeField(),
                 consent_version=pw.CharField(max_length=20),
                 status=pw.CharField(default='submitted', index=True, max_length=20),
                 decision_reason=pw.TextField(default=''),
                 info_request=pw.TextField(default=''),
                 city=foreign_key(migrator, 'city', null=True, on_delete='SET NULL'),
                 submitted_at=pw.DateTimeField(index=True),
                 updated_at=pw.DateTimeField(),
                 decided_at=pw.DateTimeField(null=True))

    create_table(migrator, "ApplicationEvent", "application_event",
                 application=foreign_key(migrator, 'application', on_delete='CASCADE'),
                 created_at=pw.DateTimeField(),
                 action=pw.CharField(max_length=30),
                 status=pw.CharField(max_length=20),
                 actor=foreign_key(migrator, 'user_account', null=True, on_delete='SET NULL'),
                 actor_label=pw.CharField(default='', max_length=200),
                 note=pw.TextField(default=''))

    create_table(migrator, "CityStatusChange", "city_status_change",
                 city=foreign_key(migrator, 'city', on_delete='CASCADE'),
                 old_status=pw.CharField(default='', max_length=20),
                 status=pw.CharField(max_length=20),
                 reason=pw.TextField(default=''),
                 changed_on=pw.DateField(),
                 created_at=pw.DateTimeField(),
                 actor=foreign_key(migrator, 'user_account', null=True, on_delete='SET NULL'))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    drop_tables(migrator, "city_status_change", "application_event", "application")
    migrator.drop_index('user_account', 'city')
    migrator.remove_fields('user_account', 'city')
