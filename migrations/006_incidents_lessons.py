"""006: incidents and their facet vocabulary, lessons (shared cities, review comments), the response toolkit."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class FacetTerm(pw.Model):
        id = pw.AutoField()
        facet = pw.CharField(index=True, max_length=20)
        key = pw.CharField(max_length=60)
        label = pw.CharField(max_length=120)
        position = pw.IntegerField(default=0)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "facet_term"
            indexes = [(('facet', 'key'), True)]

    @migrator.create_model
    class Incident(pw.Model):
        id = pw.AutoField()
        city = pw.ForeignKeyField(column_name='city_id', field='id', model=migrator.orm['city'], on_delete='CASCADE')
        occurred_on = pw.DateField(index=True, null=True)
        title = pw.CharField(max_length=300)
        summary = pw.TextField(default='')
        facets = pw.TextField()
        scale = pw.CharField(default='', max_length=200)
        response = pw.TextField(default='')
        visibility = pw.CharField(default='network', index=True, max_length=20)
        created_by = pw.ForeignKeyField(column_name='created_by_id', field='id', model=migrator.orm['user_account'], null=True, on_delete='SET NULL')
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "incident"

    @migrator.create_model
    class Lesson(pw.Model):
        id = pw.AutoField()
        city = pw.ForeignKeyField(column_name='city_id', field='id', model=migrator.orm['city'], on_delete='CASCADE')
        incident = pw.ForeignKeyField(column_name='incident_id', field='id', model=migrator.orm['incident'], null=True, on_delete='SET NULL')
        event = pw.ForeignKeyField(column_name='event_id', field='id', model=migrator.orm['event'], null=True, on_delete='SET NULL')
        title = pw.CharField(max_length=300)
        body = pw.TextField(default='')
        phase = pw.CharField(index=True, max_length=30)
        themes = pw.TextField()
        status = pw.CharField(default='draft', index=True, max_length=20)
        visibility = pw.CharField(default='network', index=True, max_length=20)
        author = pw.ForeignKeyField(column_name='author_id', field='id', model=migrator.orm['user_account'], null=True, on_delete='SET NULL')
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        submitted_at = pw.DateTimeField(null=True)
        published_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "lesson"

    @migrator.create_model
    class LessonCity(pw.Model):
        id = pw.AutoField()
        lesson = pw.ForeignKeyField(column_name='lesson_id', field='id', model=migrator.orm['lesson'], on_delete='CASCADE')
        city = pw.ForeignKeyField(column_name='city_id', field='id', model=migrator.orm['city'], on_delete='CASCADE')

        class Meta:
            table_name = "lesson_city"
            indexes = [(('lesson', 'city'), True)]

    @migrator.create_model
    class LessonComment(pw.Model):
        id = pw.AutoField()
        lesson = pw.ForeignKeyField(column_name='lesson_id', field='id', model=migrator.orm['lesson'], on_delete='CASCADE')
        author = pw.ForeignKeyField(column_name='author_id', field='id', model=migrator.orm['user_account'], null=True, on_delete='SET NULL')
        body = pw.TextField()
        action = pw.CharField(default='comment', max_length=20)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "lesson_comment"

    @migrator.create_model
    class ToolkitItem(pw.Model):
        id = pw.AutoField()
        phase = pw.CharField(index=True, max_length=30)
        position = pw.IntegerField(default=0)
        title = pw.CharField(max_length=300)
        guidance = pw.TextField(default='')
        themes = pw.TextField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "toolkit_item"


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    for table in ("toolkit_item", "lesson_comment", "lesson_city", "lesson", "incident", "facet_term"):
        migrator.remove_model(table)
