"""Migrations: idempotent, and the migrated schema is exactly the tables' definitions."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import URL

from adapters.persistence.engine import create_sync_engine
from adapters.persistence.migrate import migrate
from adapters.persistence.schema import include_name, target_metadata
from adapters.persistence.tables import events, idempotency_keys, snapshots, tracking, writer_lock

OURS = {t.name for t in (events, snapshots, tracking, writer_lock, idempotency_keys)}


def test_migrating_twice_leaves_one_writer_lock_row_at_head(database_url: URL) -> None:
    migrate(database_url)
    migrate(database_url)

    engine = create_sync_engine(database_url)
    with engine.connect() as conn:
        assert conn.execute(sa.select(writer_lock.c.id)).scalars().all() == [1]
        heads = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
    engine.dispose()
    assert len(heads) == 1


def test_autogenerate_finds_no_difference_in_the_event_store_tables(database_url: URL) -> None:
    migrate(database_url)

    engine = create_sync_engine(database_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_name": include_name, "compare_type": True}
        )
        diffs = compare_metadata(context, target_metadata())
    engine.dispose()
    assert [d for d in diffs if OURS & _tables_named(d)] == []


def _tables_named(diff: object) -> set[str]:
    return {part for part in _flatten(diff) if isinstance(part, str)} | {
        part.name for part in _flatten(diff) if isinstance(part, sa.Table)
    }


def _flatten(diff: object) -> list[object]:
    if isinstance(diff, (list, tuple)):
        return [item for part in diff for item in _flatten(part)]
    table = getattr(diff, "table", None)
    return [diff, table] if table is not None else [diff]
