"""003: membership applications, their history, city status history, and member users' city."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields(
        'user_account',
        city=pw.ForeignKeyField(column_name='city_id', field='id', model=migrator.orm['city'], null=True,
                                on_delete='SET NULL'))

    @migrator.create_model
    class Application(pw.Model):
        id = pw.AutoField()
        reference = pw.CharField(max_length=20, unique=True)
        authority_name = pw.CharField(max_length=200)
        name_key = pw.CharField(index=True, max_length=200)
        level = pw.CharField(max_length=40)
        country = pw.CharField(index=True, max_length=2)
        region = pw.CharField(default='', index=True, max_length=60)
        population = pw.IntegerField(null=True)
        website = pw.CharField(default='', max_length=300)
        languages = pw.TextField()
        applicant_name = pw.CharField(max_length=200)
        applicant_position = pw.CharField(default='', max_length=200)
        applicant_email = pw.CharField(max_length=254)
        applicant_phone = pw.CharField(default='', max_length=60)
        leader_name = pw.CharField(default='', max_length=200)
        leader_position = pw.CharField(default='', max_length=200)
        focal_name = pw.CharField(default='', max_length=200)
        focal_position = pw.CharField(default='', max_length=200)
        focal_email = pw.CharField(default='', max_length=254)
        expertise = pw.TextField()
        expertise_other = pw.CharField(default='', max_length=500)
        incident_experience = pw.TextField(default='')
        motivation = pw.TextField(default='')
        consent_at = pw.DateTimeField()
        consent_version = pw.CharField(max_length=20)
        status = pw.CharField(default='submitted', index=True, max_length=20)
        decision_reason = pw.TextField(default='')
        info_request = pw.TextField(default='')
        city = pw.ForeignKeyField(column_name='city_id', field='id', model=migrator.orm['city'], null=True, on_delete='SET NULL')
        submitted_at = pw.DateTimeField(index=True)
        updated_at = pw.DateTimeField()
        decided_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "application"

    @migrator.create_model
    class ApplicationEvent(pw.Model):
        id = pw.AutoField()
        application = pw.ForeignKeyField(column_name='application_id', field='id', model=migrator.orm['application'], on_delete='CASCADE')
        created_at = pw.DateTimeField()
        action = pw.CharField(max_length=30)
        status = pw.CharField(max_length=20)
        actor = pw.ForeignKeyField(column_name='actor_id', field='id', model=migrator.orm['user_account'], null=True, on_delete='SET NULL')
        actor_label = pw.CharField(default='', max_length=200)
        note = pw.TextField(default='')

        class Meta:
            table_name = "application_event"

    @migrator.create_model
    class CityStatusChange(pw.Model):
        id = pw.AutoField()
        city = pw.ForeignKeyField(column_name='city_id', field='id', model=migrator.orm['city'], on_delete='CASCADE')
        old_status = pw.CharField(default='', max_length=20)
        status = pw.CharField(max_length=20)
        reason = pw.TextField(default='')
        changed_on = pw.DateField()
        created_at = pw.DateTimeField()
        actor = pw.ForeignKeyField(column_name='actor_id', field='id', model=migrator.orm['user_account'], null=True, on_delete='SET NULL')

        class Meta:
            table_name = "city_status_change"


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model('city_status_change')
    migrator.remove_model('application_event')
    migrator.remove_model('application')
    migrator.drop_index('user_account', 'city')
    migrator.remove_fields('user_account', 'city')
