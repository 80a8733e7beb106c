"""Migration ``0004_read_model_totals`` creates the report tables exactly as declared."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import URL

from adapters.persistence.engine import create_sync_engine
from adapters.persistence.metadata import metadata
from adapters.persistence.migrate import migrate
from adapters.readmodel import report_tables as _registered  # noqa: F401 - defines the tables

_MINE = {t.name for t in metadata.tables.values() if t.name.startswith("rm_")} & {
    "rm_accounts", "rm_daily_balances", "rm_balance_postings", "rm_categories",
    "rm_category_closure", "rm_category_totals", "rm_category_month_totals",
    "rm_category_allotments",
}  # fmt: skip


def test_migrating_creates_the_report_tables_exactly_as_declared(database_url: URL) -> None:
    migrate(database_url)
    engine = create_sync_engine(database_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "include_name": lambda name, type_, _: type_ != "table" or name in _MINE,
                },
            )
            mine = sa.MetaData()
            for table in metadata.tables.values():
                if table.name in _MINE:
                    table.to_metadata(mine)
            differences = list(compare_metadata(context, mine))
    finally:
        engine.dispose()

    assert len(_MINE) == 8
    assert differences == []
