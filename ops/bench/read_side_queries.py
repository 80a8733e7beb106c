"""Query-latency benchmark over query tables filled by a BULK LOADER that writes rows directly.

The loader does not go through events or the projector (that is the catch-up benchmark's job): it
inserts rows shaped as the projections write them, so a million transactions load in a minute.
Only the measured owner's text is really sealed (the pages read decrypt it); other owners' sealed
columns hold empty bytes, which no measured query reads.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy.ext.asyncio import create_async_engine

from adapters.readmodel.balance_queries import balance_series
from adapters.readmodel.category_queries import category_totals
from adapters.readmodel.report_tables import (
    UNCATEGORISED,
    rm_accounts,
    rm_categories,
    rm_category_closure,
    rm_category_month_totals,
    rm_category_totals,
    rm_daily_balances,
)
from adapters.readmodel.tables import rm_transaction_tags, rm_transactions
from adapters.readmodel.transaction_queries import TransactionQueries
from ops.bootstrap import Runtime
from projections.category_totals import kind_of
from projections.text_protector import field_context
from projections.transaction_views import TransactionFilters

FIRST_DAY = date(2021, 1, 1)
DAYS = 5 * 365
CHUNK = 5000
TEXT = ("payee", "counterparty_name", "description", "notes")


def load(runtime: Runtime, rows: int, user_rows: int) -> tuple[UUID, UUID]:
    """``rows`` transactions in all, ``user_rows`` of them the measured owner's (in 3 accounts
    and 12 categories); the other rows spread over owners of 2 000 transactions each."""
    rng = random.Random(7)  # noqa: S311 - benchmark data
    user = uuid4()
    owners = [(user, user_rows)] + [(uuid4(), 2000) for _ in range((rows - user_rows) // 2000)]
    measured_account = uuid4()
    with runtime.engine.begin() as conn:
        for owner, count in owners:
            accounts = [measured_account if owner == user else uuid4(), uuid4(), uuid4()]
            categories = _categories(conn, runtime, owner, sealed=owner == user)
            _accounts(conn, runtime, owner, accounts, sealed=owner == user)
            txs: list[dict[str, Any]] = []
            tags: list[dict[str, Any]] = []
            daily: defaultdict[tuple[UUID, date], int] = defaultdict(int)
            totals: defaultdict[tuple[UUID, date, str], list[int]] = defaultdict(lambda: [0, 0])
            for _ in range(count):
                tx, account = uuid4(), rng.choice(accounts)
                category = rng.choice([*categories, None])
                day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
                amount = rng.randint(-20000, 5000)
                row: dict[str, Any] = {"id": tx, "owner_id": owner, "account_id": account,
                       "category_id": category, "booked_on": day, "value_date": day,
                       "amount_minor": amount, "currency": "EUR", "source": "manual",
                       "deleted": False, "split": False, "position": 1,
                       "counterparty_iban": None, "external_reference": None}  # fmt: skip
                for field in TEXT:
                    row[field] = _seal(
                        runtime, owner, field, tx, f"{field} {amount}", owner == user
                    )
                txs.append(row)
                if amount % 3 == 0:
                    tags.append({"transaction_id": tx, "tag": "bulk", "owner_id": owner})
                daily[(account, day)] += amount
                total = totals[(category or UNCATEGORISED, day, kind_of(amount))]
                total[0] += amount
                total[1] += 1
                if len(txs) >= CHUNK:
                    conn.execute(rm_transactions.insert(), txs)
                    txs = []
            for table, batch in ((rm_transactions, txs), (rm_transaction_tags, tags)):
                if batch:
                    conn.execute(table.insert(), batch)
            conn.execute(rm_daily_balances.insert(), [
                {"owner_id": owner, "account_id": a, "day": d, "delta_minor": v}
                for (a, d), v in daily.items()
            ])  # fmt: skip
            conn.execute(rm_category_totals.insert(), [
                {"owner_id": owner, "category_id": c, "day": d, "currency": "EUR", "kind": k,
                 "month": d.replace(day=1), "amount_minor": v[0], "count": v[1]}
                for (c, d, k), v in totals.items()
            ])  # fmt: skip
            months: defaultdict[tuple[UUID, date, str], list[int]] = defaultdict(lambda: [0, 0])
            for (c, d, k), (amount, n) in totals.items():
                months[(c, d.replace(day=1), k)][0] += amount
                months[(c, d.replace(day=1), k)][1] += n
            conn.execute(rm_category_month_totals.insert(), [
                {"owner_id": owner, "category_id": c, "month": m, "currency": "EUR", "kind": k,
                 "amount_minor": v[0], "count": v[1]}
                for (c, m, k), v in months.items()
            ])  # fmt: skip
        conn.exec_driver_sql(f"ANALYZE TABLE {', '.join(t.name for t in _TABLES)}")
    return user, measured_account


_TABLES = (
    rm_transactions,
    rm_transaction_tags,
    rm_daily_balances,
    rm_category_totals,
    rm_category_month_totals,
)


def _seal(runtime: Runtime, owner: UUID, field: str, tx: UUID, text: str, real: bool) -> bytes:  # noqa: PLR0917
    if not real:
        return b""
    return runtime.keyring.seal(owner, text, field_context("rm_transactions", field, tx.bytes))


def _accounts(conn: Any, runtime: Runtime, owner: UUID, ids: list[UUID], *, sealed: bool) -> None:
    conn.execute(rm_accounts.insert(), [
        {"id": a, "owner_id": owner, "kind": "checking", "currency": "EUR", "opening_minor": 0,
         "balance_minor": 0, "opened_on": FIRST_DAY, "closed": False,
         "name_sealed": runtime.keyring.seal(owner, "Account", b"rm_accounts.name:" + a.bytes)
         if sealed else b""}
        for a in ids
    ])  # fmt: skip


def _categories(conn: Any, runtime: Runtime, owner: UUID, *, sealed: bool) -> list[UUID]:
    parents = [uuid4() for _ in range(4)]
    children = {uuid4(): p for p in parents for _ in range(2)}
    tree: dict[UUID, UUID | None] = {**dict.fromkeys(parents), **children}
    conn.execute(rm_categories.insert(), [
        {"id": c, "owner_id": owner, "kind": "expense", "parent_id": p, "archived": False,
         "name_sealed": runtime.keyring.seal(owner, "Cat", b"rm_categories.name:" + c.bytes)
         if sealed else b""}
        for c, p in tree.items()
    ])  # fmt: skip
    closure = [(c, c, 0) for c in tree] + [(p, c, 1) for c, p in children.items()]
    conn.execute(rm_category_closure.insert(), [
        {"owner_id": owner, "ancestor_id": a, "descendant_id": d, "depth": depth}
        for a, d, depth in closure
    ])  # fmt: skip
    return list(tree)


def measure(
    runtime: Runtime, user: UUID, account: UUID, samples: int
) -> dict[str, tuple[float, float]]:
    """p50 and p99 in milliseconds of each query, ``samples`` runs each (after a warm-up)."""
    return asyncio.run(_measure(runtime, user, account, samples))


async def _measure(
    runtime: Runtime, user: UUID, account: UUID, samples: int
) -> dict[str, tuple[float, float]]:
    engine = create_async_engine(runtime.settings.async_url)
    queries = TransactionQueries(engine, runtime.keyring, runtime.secret_key)
    three = TransactionFilters(account_ids=frozenset({account}), booked_from=date(2023, 1, 1),
                               tags=frozenset({"bulk"}))  # fmt: skip
    last = FIRST_DAY + timedelta(days=DAYS - 1)
    cases: dict[str, Callable[[], Awaitable[object]]] = {
        "list first page": lambda: queries.list_transactions(user, limit=50),
        "list three filters": lambda: queries.list_transactions(user, three, limit=50),
        "category totals 12 months": lambda: category_totals(
            engine, user, last - timedelta(days=364), last
        ),
        "balance series 5 years daily": lambda: balance_series(
            engine, user, account_id=account, date_from=FIRST_DAY, date_to=last
        ),
    }
    results = {}
    try:
        for name, case in cases.items():
            for _ in range(5):
                await case()
            times = []
            for _ in range(samples):
                started = time.perf_counter()
                await case()
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            results[name] = (
                statistics.median(times),
                times[min(len(times) - 1, int(len(times) * 0.99))],
            )
    finally:
        await engine.dispose()
    return results
