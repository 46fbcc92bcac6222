"""Migrations are the truth of the schema: applied to an empty database they give exactly the models."""

import os
import uuid

import peewee
import pytest

from crm.db import all_models, database, open_database, router
from tests.conftest import PG_URL, pg_create_database, pg_drop_database

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not (PG_URL or os.environ.get("CRM_MIGRATION_PG_URL")), reason="CRM_TEST_DATABASE_URL not set"))]


@pytest.fixture(params=BACKENDS)
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        db = open_database(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
        yield db
        db.close()
    else:
        base = PG_URL or os.environ["CRM_MIGRATION_PG_URL"]
        name = f"crm_migrations_{uuid.uuid4().hex[:8]}"
        db = open_database(pg_create_database(base, name))
        yield db
        db.close()
        pg_drop_database(base, name)


def _schema(db: peewee.Database) -> dict[str, set[str]]:
    tables = set(db.get_tables()) - {"migratehistory"}
    return {t: {c.name for c in db.get_columns(t)} for t in tables}


def _declared() -> dict[str, set[str]]:
    return {m._meta.table_name: {f.column_name for f in m._meta.sorted_fields} for m in all_models()}


def test_migrations_create_exactly_the_declared_schema_and_roll_back(empty_database):
    previous = database.obj
    database.initialize(empty_database)
    try:
        with empty_database.connection_context():
            r = router(empty_database)
            applied = r.run()
            assert applied == r.todo and applied, "every migration file applies"
            assert _schema(empty_database) == _declared()
            # Foreign keys and unique indexes exist as declared.
            for model in all_models():
                table = model._meta.table_name
                fks = {fk.column for fk in empty_database.get_foreign_keys(table)}
                assert fks == {f.column_name for f in model._meta.refs}, table
                unique = {tuple(i.columns) for i in empty_database.get_indexes(table) if i.unique}
                for field in model._meta.sorted_fields:
                    if field.unique:
                        assert (field.column_name,) in unique, (table, field.name)
            for _ in applied:
                router(empty_database).rollback()
            assert _schema(empty_database) == {}
            assert router(empty_database).done == []
    finally:
        database.initialize(previous)
