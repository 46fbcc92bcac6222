"""What the migration files build tables with: a table is its name, its columns and its indexes.

The migrations are applied history, and they call these helpers: a change here changes what every applied
migration creates. Never change what a helper yields; add a new one instead (tests/test_migrations.py proves
that the migrations give exactly the tables, columns, foreign keys and unique indexes the models declare).
"""

from __future__ import annotations

import peewee as pw
from peewee_migrate import Migrator


def create_table(migrator: Migrator, model: str, table: str, /, *, indexes=(),
                 **columns: pw.Field) -> type[pw.Model]:
    """Create ``table`` with an auto-increment ``id`` and then ``columns`` in their order; return its model.

    ``model`` is the name of the model class, which peewee puts in front of every index name
    (``<model lowercased>_<columns>``): a migration keeps the name it was applied with.
    """
    meta = type("Meta", (), {"table_name": table, "indexes": list(indexes)})
    return migrator.create_model(type(model, (pw.Model,), {"id": pw.AutoField(), **columns, "Meta": meta}))


def foreign_key(migrator: Migrator, table: str, /, **options) -> pw.ForeignKeyField:
    """A column ``<name>_id`` referring to the ``id`` of ``table``, a table made by this or an earlier migration."""
    return pw.ForeignKeyField(migrator.orm[table], field="id", **options)


def drop_tables(migrator: Migrator, /, *tables: str) -> None:
    """Drop ``tables`` in the order given (those that refer to the others first)."""
    for table in tables:
        migrator.remove_model(table)
