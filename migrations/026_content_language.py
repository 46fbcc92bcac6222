"""026: the language an incident and an event's description are written in (ISO 639-1), read from their text for
the existing ones by the detection lessons use (crm.peers.language)."""

import peewee as pw
from peewee_migrate import Migrator

from crm.peers.text import detect_language


def _tag_languages(database: pw.Database) -> None:
    for name, body in (('incident', 'summary'), ('event', 'description')):
        table = pw.Table(name, ('id', 'title', body, 'language')).bind(database)
        text = getattr(table, body)
        for row_id, title, written in list(table.select(table.id, table.title, text)
                                           .where(table.language == '').tuples()):
            language = detect_language(f"{title}\n{written or ''}"[:5000])
            table.update({table.language: language}).where(table.id == row_id).execute()


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields('incident', language=pw.CharField(default='', max_length=8))
    migrator.add_fields('event', language=pw.CharField(default='', max_length=8))
    if not fake:
        migrator.run(_tag_languages, database)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_fields('event', 'language')
    migrator.remove_fields('incident', 'language')
