"""006: incidents and their facet vocabulary, lessons (shared cities, review comments), the response toolkit."""

import peewee as pw
from peewee_migrate import Migrator

from crm.core.schema import create_table, drop_tables, foreign_key


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    create_table(migrator, "FacetTerm", "facet_term",
                 facet=pw.CharField(index=True, max_length=20),
                 key=pw.CharField(max_length=60),
                 label=pw.CharField(max_length=120),
                 position=pw.IntegerField(default=0),
                 created_at=pw.DateTimeField(),
                 indexes=[(('facet', 'key'), True)])

    create_table(migrator, "Incident", "incident",
                 city=foreign_key(migrator, 'city', on_delete='CASCADE'),
                 occurred_on=pw.DateField(index=True, null=True),
                 title=pw.CharField(max_length=300),
                 summary=pw.TextField(default=''),
                 facets=pw.TextField(),
                 scale=pw.CharField(default='', max_length=200),
                 response=pw.TextField(default=''),
                 visibility=pw.CharField(default='network', index=True, max_length=20),
                 created_by=foreign_key(migrator, 'user_account', null=True, on_delete='SET NULL'),
                 created_at=pw.DateTimeField(),
                 updated_at=pw.DateTimeField())

    create_table(migrator, "Lesson", "lesson",
                 city=foreign_key(migrator, 'city', on_delete='CASCADE'),
                 incident=foreign_key(migrator, 'incident', null=True, on_delete='SET NULL'),
                 event=foreign_key(migrator, 'event', null=True, on_delete='SET NULL'),
                 title=pw.CharField(max_length=300),
                 body=pw.TextField(default=''),
                 phase=pw.CharField(index=True, max_length=30),
                 themes=pw.TextField(),
                 status=pw.CharField(default='draft', index=True, max_length=20),
                 visibility=pw.CharField(default='network', index=True, max_length=20),
                 author=foreign_key(migrator, 'user_account', null=True, on_delete='SET NULL'),
                 created_at=pw.DateTimeField(),
                 updated_at=pw.DateTimeField(),
                 submitted_at=pw.DateTimeField(null=True),
                 published_at=pw.DateTimeField(null=True))

    create_table(migrator, "LessonCity", "lesson_city",
                 lesson=foreign_key(migrator, 'lesson', on_delete='CASCADE'),
                 city=foreign_key(migrator, 'city', on_delete='CASCADE'),
                 indexes=[(('lesson', 'city'), True)])

    create_table(migrator, "LessonComment", "lesson_comment",
                 lesson=foreign_key(migrator, 'lesson', on_delete='CASCADE'),
                 author=foreign_key(migrator, 'user_account', null=True, on_delete='SET NULL'),
                 body=pw.TextField(),
                 action=pw.CharField(default='comment', max_length=20),
                 created_at=pw.DateTimeField())

    create_table(migrator, "ToolkitItem", "toolkit_item",
                 phase=pw.CharField(index=True, max_length=30),
                 position=pw.IntegerField(default=0),
                 title=pw.CharField(max_length=300),
                 guidance=pw.TextField(default=''),
                 themes=pw.TextField(),
                 created_at=pw.DateTimeField(),
                 updated_at=pw.DateTimeField())


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    drop_tables(migrator, "toolkit_item", "lesson_comment", "lesson_city", "lesson", "incident", "facet_term")
