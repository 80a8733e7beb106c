"""No report query scans a whole table: EXPLAIN on MariaDB shows an index for every table read
(balances as of a day, the series' sums and deltas, category totals rolled up, cash flow)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from adapters.readmodel.balance_queries import accounts_query, series_deltas_query, sums_query
from adapters.readmodel.category_queries import cash_flow_queries, totals_queries
from adapters.readmodel.report_tables import rm_daily_balances
from ops.bootstrap import Runtime
from tests.integration.readmodel.read_runtime import bulk_record, new_user, open_account, projector

FROM, TO = date(2024, 1, 1), date(2024, 12, 31)


def _plan(engine: Engine, query: sa.Select[Any]) -> list[dict[str, object]]:
    def explain(*args: Any) -> tuple[str, object]:
        return f"EXPLAIN {args[2]}", args[3]

    with engine.connect() as conn:
        conn.exec_driver_sql(
            "ANALYZE TABLE rm_daily_balances, rm_category_totals, rm_category_closure, "
            "rm_categories, rm_accounts, rm_category_month_totals"
        )
        sa.event.listen(conn, "before_cursor_execute", explain, retval=True)
        try:
            cursor = conn.execute(query).cursor
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        finally:
            sa.event.remove(conn, "before_cursor_execute", explain)


@pytest.fixture
def owner(mariadb_runtime: Runtime) -> tuple[UUID, UUID]:
    runtime = mariadb_runtime
    for n in range(3):  # several owners, so the owner column is selective
        other = new_user(runtime, f"other{n}@example.org")
        for _ in range(2):
            runtime.categories.create(other, name="Food", kind="expense")
        bulk_record(runtime, other, open_account(runtime, other), 400)
    user = new_user(runtime)
    food = UUID(runtime.categories.create(user, name="Food", kind="expense").answer["id"])
    runtime.categories.create(user, name="Groceries", kind="expense", parent_id=food)
    account = open_account(runtime, user)
    bulk_record(runtime, user, account, 400)
    projector(runtime).catch_up()
    return user, account


def _queries(user: UUID, account: UUID) -> dict[str, sa.Select[Any]]:
    mid_from, mid_to = date(2024, 1, 15), date(2024, 6, 10)  # partial months at both ends
    totals = totals_queries(user, mid_from, mid_to)
    flows = cash_flow_queries(user, mid_from, mid_to)
    return {
        **{f"totals {n}": q for n, q in enumerate(totals)},
        **{f"cash flow {n}": q for n, q in enumerate(flows)},
        "balances as of": sums_query(user, None, rm_daily_balances.c.day <= TO),
        "series accounts": accounts_query(user, None),
        "series before": sums_query(user, [account], rm_daily_balances.c.day < FROM),
        "series deltas": series_deltas_query(user, [account], FROM, TO),
    }


def test_report_queries_read_only_through_indexes(
    mariadb_runtime: Runtime, owner: tuple[UUID, UUID]
) -> None:
    plans = {name: _plan(mariadb_runtime.engine, query) for name, query in _queries(*owner).items()}

    scans = {
        name: plan
        for name, plan in plans.items()
        if any(step["type"] == "ALL" or step["key"] is None for step in plan)
    }
    assert len(plans) == 4 + 6 + 3  # month table and both day-table edges
    assert scans == {}, "\n".join(f"{n}: {p}" for n, p in scans.items())
