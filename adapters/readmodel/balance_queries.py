"""Async queries of the ``balances`` projection: balances now or as of a day, balance series.

Every statement is bounded by ``owner_id`` (the first column of each index used); the balance as of
a day is the opening balance plus the sum of the daily deltas up to that day.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.readmodel.report_tables import rm_accounts, rm_daily_balances
from adapters.readmodel.sealer import Opener, open_name
from projections.errors import InvalidQuery
from projections.minor_units import from_minor
from projections.report_rules import (
    check_as_of,
    check_interval,
    check_period,
    period_starts,
)
from projections.reports import AccountBalance, BalancePoint

_a = rm_accounts.c
_d = rm_daily_balances.c


async def balances(
    engine: AsyncEngine, opener: Opener, owner_id: UUID, as_of: date | None = None
) -> list[AccountBalance]:
    """Every account of the owner with its balance at the end of ``as_of`` (None: now), by name."""
    check_as_of(as_of)
    async with engine.connect() as conn:
        accounts = (await conn.execute(sa.select(rm_accounts).where(_a.owner_id == owner_id))).all()
        sums: dict[UUID, int] = {}
        if as_of is not None:
            query = sums_query(owner_id, None, _d.day <= as_of)
            sums = {a: int(s) for a, s in await conn.execute(query)}
    answer = []
    for row in accounts:
        minor = row.balance_minor if as_of is None else row.opening_minor + sums.get(row.id, 0)
        answer.append(
            AccountBalance(
                account_id=row.id,
                name=open_name(opener, owner_id, row.name_sealed, _a.name_sealed, row.id),
                kind=row.kind,
                closed=bool(row.closed),
                opened_on=row.opened_on,
                opening=from_minor(row.opening_minor, row.currency),
                balance=from_minor(minor, row.currency),
            )
        )
    return sorted(answer, key=lambda b: (b.name.casefold(), b.account_id))


async def balance_series(
    engine: AsyncEngine,
    owner_id: UUID,
    *,
    account_id: UUID | None = None,
    date_from: date,
    date_to: date,
    interval: str = "day",
) -> list[BalancePoint]:
    """The balance at the end of each period (clipped to ``date_to``), for one account or, with
    ``account_id=None``, summed over the owner's accounts per currency."""
    step = check_interval(interval)
    check_period(date_from, date_to, step)
    async with engine.connect() as conn:
        openings = (await conn.execute(openings_query(owner_id, account_id))).all()
        if account_id is not None and not openings:
            raise InvalidQuery("account_id", "no such account")
        running: dict[str, int] = {c: int(m) for c, m in openings}
        for code, minor in await conn.execute(
            series_sums_query(owner_id, account_id, _d.day < date_from)
        ):
            running[code] += int(minor)
        deltas = (
            await conn.execute(series_deltas_query(owner_id, account_id, date_from, date_to))
        ).all()
    return _points(running, deltas, account_id, period_starts(date_from, date_to, step), date_to)


def openings_query(owner_id: UUID, account_id: UUID | None) -> sa.Select[Any]:
    only = [] if account_id is None else [_a.id == account_id]
    return (
        sa.select(_a.currency, sa.func.sum(_a.opening_minor))
        .where(_a.owner_id == owner_id, *only)
        .group_by(_a.currency)
    )


def _by_currency(
    owner_id: UUID, account_id: UUID | None, *conditions: sa.ColumnElement[bool]
) -> sa.Select[Any]:
    """Daily deltas joined to their account's currency: series add up per currency, and no
    account id needs decoding per row."""
    only = [] if account_id is None else [_d.account_id == account_id]
    return (
        sa.select(_a.currency)
        .select_from(
            rm_daily_balances.join(
                rm_accounts, sa.and_(_a.owner_id == _d.owner_id, _a.id == _d.account_id)
            )
        )
        .where(_d.owner_id == owner_id, *only, *conditions)
    )


def series_sums_query(
    owner_id: UUID, account_id: UUID | None, days: sa.ColumnElement[bool]
) -> sa.Select[Any]:
    return (
        _by_currency(owner_id, account_id, days)
        .add_columns(sa.func.sum(_d.delta_minor))
        .group_by(_a.currency)
    )


def series_deltas_query(
    owner_id: UUID, account_id: UUID | None, date_from: date, date_to: date
) -> sa.Select[Any]:
    return (
        _by_currency(owner_id, account_id, _d.day >= date_from, _d.day <= date_to)
        .add_columns(_d.day, sa.func.sum(_d.delta_minor))
        .group_by(_d.day, _a.currency)
        .order_by(_d.day)
    )


def sums_query(
    owner_id: UUID, account_id: UUID | None, days: sa.ColumnElement[bool]
) -> sa.Select[Any]:
    """Per account of the owner (or just ``account_id``): the sum of the deltas on ``days``."""
    only = [] if account_id is None else [_d.account_id == account_id]
    return (
        sa.select(_d.account_id, sa.func.sum(_d.delta_minor))
        .where(_d.owner_id == owner_id, *only, days)
        .group_by(_d.account_id)
    )


def _points(
    running: dict[str, int],
    deltas: Sequence[sa.Row[Any]],
    account_id: UUID | None,
    starts: list[date],
    date_to: date,
) -> list[BalancePoint]:
    """Walk the periods once, adding each day's deltas (per currency) as its period is reached."""
    points: list[BalancePoint] = []
    codes = sorted(running)
    index = 0
    ends = [*starts[1:], date_to + timedelta(days=1)]
    for start, end in zip(starts, ends, strict=True):
        while index < len(deltas) and deltas[index][1] < end:
            code, _day, delta = deltas[index]
            running[code] += int(delta)
            index += 1
        points.extend(
            BalancePoint(start, code, from_minor(running[code], code), account_id) for code in codes
        )
    return points
