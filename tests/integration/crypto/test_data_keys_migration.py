from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy.engine import URL

from adapters.crypto.tables import data_keys
from adapters.persistence.engine import create_sync_engine
from adapters.persistence.migrate import migrate

MIGRATION = Path(__file__).parents[3] / "adapters/persistence/migrations/versions/0002_data_keys.py"


def _migration() -> ModuleType:
    spec = importlib.util.spec_from_file_location("migration_0002_data_keys", MIGRATION)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _differences_from_tables_py(conn: sa.Connection) -> list[Any]:
    only_data_keys = sa.MetaData()
    data_keys.to_metadata(only_data_keys)
    context = MigrationContext.configure(
        conn,
        opts={
            "compare_type": True,
            "include_name": lambda name, type_, _: type_ != "table" or name == "data_keys",
        },
    )
    return list(compare_metadata(context, only_data_keys))


def test_migrating_creates_data_keys_exactly_as_declared(database_url: URL) -> None:
    migrate(database_url)

    engine = create_sync_engine(database_url)
    try:
        with engine.connect() as conn:
            assert _differences_from_tables_py(conn) == []
    finally:
        engine.dispose()


def test_the_migration_downgrades_to_the_event_store(database_url: URL) -> None:
    migrate(database_url)
    engine = create_sync_engine(database_url)
    try:
        with engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
            _migration().downgrade()
        with engine.connect() as conn:
            assert not sa.inspect(conn).has_table("data_keys")
    finally:
        engine.dispose()


def test_the_migration_follows_the_event_store_revision() -> None:
    migration = _migration()

    assert migration.revision == "0002_data_keys"
    assert migration.down_revision == "0001_event_store"
