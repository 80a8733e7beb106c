"""Every table of ours comes from the migrations, which match the table definitions exactly."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import URL

from adapters.persistence.migrate import migrate
from adapters.persistence.schema import include_name, target_metadata


def test_migrating_twice_leaves_a_schema_equal_to_the_table_definitions(database_url: URL) -> None:
    migrate(database_url)
    migrate(database_url)  # idempotent

    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": include_name}
        )
        differences = compare_metadata(context, target_metadata())
        tables = set(sa.inspect(conn).get_table_names())
    engine.dispose()
    assert differences == []
    assert set(target_metadata().tables) <= tables
