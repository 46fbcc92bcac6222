"""024: the language a lesson is written in (ISO 639-1, read from its text for existing lessons) and the lesson a
version in another language translates (one original, many versions)."""

import peewee as pw
from peewee_migrate import Migrator

from crm.peers.text import detect_language


def _tag_languages(database: pw.Database) -> None:
    lesson = pw.Table('lesson', ('id', 'title', 'body', 'language')).bind(database)
    for lesson_id, title, body in list(lesson.select(lesson.id, lesson.title, lesson.body)
                                       .where(lesson.language == '').tuples()):
        language = detect_language(f"{title}\n{body or ''}"[:5000])
        lesson.update({lesson.language: language}).where(lesson.id == lesson_id).execute()


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields('lesson', language=pw.CharField(default='', max_length=8),
                        translation_of=pw.ForeignKeyField(migrator.orm['lesson'], field='id', null=True,
                                                          on_delete='SET NULL'))
    if not fake:
        migrator.run(_tag_languages, database)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.drop_index('lesson', 'translation_of')  # SQLite cannot drop a column an index still names
    migrator.remove_fields('lesson', 'language', 'translation_of')
