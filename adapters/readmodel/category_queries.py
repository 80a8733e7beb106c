"""Async queries of the category projections: the tree, monthly totals rolled up, cash flow.

Totals are stored per day and leaf category; a query groups them by month and joins the closure
table, so each category's total includes its whole subtree. Every statement starts from
``owner_id`` and a day range on the totals' primary key.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.readmodel.report_tables import (
    UNCATEGORISED,
    rm_categories,
    rm_category_closure,
    rm_category_month_totals,
    rm_category_totals,
)
from adapters.readmodel.sealer import Opener, open_name
from projections.category_totals import EXPENSE, INCOME
from projections.minor_units import from_minor
from projections.report_rules import check_period, next_period, period_starts
from projections.reports import CashFlowMonth, CategoryNode, CategoryTotal, Interval

_c = rm_categories.c
_k = rm_category_closure.c
_t = rm_category_totals.c
TRANSFER = "transfer"


async def category_tree(engine: AsyncEngine, opener: Opener, owner_id: UUID) -> list[CategoryNode]:
    """The owner's categories, parents before children, siblings by name."""
    async with engine.connect() as conn:
        rows = (await conn.execute(sa.select(rm_categories).where(_c.owner_id == owner_id))).all()
        depths: dict[UUID, int] = {
            d: int(m)
            for d, m in (
                await conn.execute(
                    sa.select(_k.descendant_id, sa.func.max(_k.depth))
                    .where(_k.owner_id == owner_id)
                    .group_by(_k.descendant_id)
                )
            ).all()
        }
    nodes = [
        CategoryNode(
            id=r.id,
            name=open_name(opener, owner_id, r.name_sealed, _c.name_sealed, r.id),
            kind=r.kind,
            parent_id=r.parent_id,
            archived=bool(r.archived),
            depth=int(depths.get(r.id, 0)),
        )
        for r in rows
    ]
    children: defaultdict[UUID | None, list[CategoryNode]] = defaultdict(list)
    for node in nodes:
        children[node.parent_id if node.parent_id in {n.id for n in nodes} else None].append(node)
    ordered: list[CategoryNode] = []

    def walk(parent: UUID | None) -> None:
        for node in sorted(children[parent], key=lambda n: (n.name.casefold(), n.id)):
            ordered.append(node)
            walk(node.id)

    walk(None)
    return ordered


async def category_totals(
    engine: AsyncEngine, owner_id: UUID, date_from: date, date_to: date
) -> list[CategoryTotal]:
    """Per month, per category (with its subtree) and kind: the total and the count.
    ``category_id=None`` is the uncategorised transactions."""
    check_period(date_from, date_to, Interval.MONTH)
    sums: defaultdict[tuple[UUID, date, str, str], list[int]] = defaultdict(lambda: [0, 0])
    async with engine.connect() as conn:
        for statement in totals_queries(owner_id, date_from, date_to):
            for category, month, currency, kind, amount, count in await conn.execute(statement):
                total = sums[(category, month, currency, kind)]
                total[0] += int(amount)
                total[1] += int(count)
    totals = [
        CategoryTotal(
            month=month,
            category_id=None if category == UNCATEGORISED else category,
            kind=kind,
            total=from_minor(amount, currency),
            count=count,
        )
        for (category, month, currency, kind), (amount, count) in sums.items()
    ]
    return sorted(totals, key=_total_order)


def segments(
    owner_id: UUID, date_from: date, date_to: date
) -> list[tuple[sa.Table, list[sa.ColumnElement[bool]]]]:
    """Where to read ``date_from``..``date_to``: whole months from the month table, the partial
    months at either end from the day table. Both tables have the same columns."""
    first_full = date_from if date_from.day == 1 else next_period(date_from, Interval.MONTH)
    end_full = (date_to + timedelta(days=1)).replace(day=1)  # months before it end by date_to
    m, d = rm_category_month_totals.c, _t
    parts: list[tuple[sa.Table, list[sa.ColumnElement[bool]]]] = []
    if first_full < end_full:
        parts.append(
            (
                rm_category_month_totals,
                [m.owner_id == owner_id, m.month >= first_full, m.month < end_full],
            )
        )
    head_end = min(first_full - timedelta(days=1), date_to)
    if date_from <= head_end:
        parts.append(
            (rm_category_totals, [d.owner_id == owner_id, d.day >= date_from, d.day <= head_end])
        )
    tail_start = max(end_full, first_full)
    if tail_start <= date_to:
        parts.append(
            (rm_category_totals, [d.owner_id == owner_id, d.day >= tail_start, d.day <= date_to])
        )
    return parts  # fmt: skip


def totals_queries(owner_id: UUID, date_from: date, date_to: date) -> list[sa.Select[Any]]:
    """The statements of ``category_totals``: per segment, rolled up the closure, and the
    uncategorised ones (which have no closure rows)."""
    statements = []
    for table, where in segments(owner_id, date_from, date_to):
        t = table.c
        sums = (t.month, t.currency, t.kind, sa.func.sum(t.amount_minor), sa.func.sum(t.count))
        statements.append(
            sa.select(_k.ancestor_id, *sums)
            .select_from(table.join(
                rm_category_closure,
                sa.and_(_k.owner_id == t.owner_id, _k.descendant_id == t.category_id),
            ))
            .where(*where)
            .group_by(_k.ancestor_id, t.month, t.currency, t.kind)
        )  # fmt: skip
        statements.append(
            sa.select(t.category_id, *sums)
            .where(*where, t.category_id == UNCATEGORISED)
            .group_by(t.category_id, t.month, t.currency, t.kind)
        )
    return statements


def _total_order(total: CategoryTotal) -> tuple[date, str, str, str, str]:
    category = "" if total.category_id is None else str(total.category_id)
    return (total.month, total.total.currency, total.kind, category, "")


async def cash_flow(
    engine: AsyncEngine, owner_id: UUID, date_from: date, date_to: date
) -> list[CashFlowMonth]:
    """Income and expense per month and currency, transfers (categories of kind ``transfer``)
    left out; every month of the range appears for each currency seen in it."""
    check_period(date_from, date_to, Interval.MONTH)
    async with engine.connect() as conn:
        rows = [
            row
            for statement in cash_flow_queries(owner_id, date_from, date_to)
            for row in (await conn.execute(statement)).all()
        ]
    sums: defaultdict[tuple[date, str], dict[str, int]] = defaultdict(
        lambda: {INCOME: 0, EXPENSE: 0}
    )
    for month, currency, kind, amount in rows:
        sums[(month, currency)][kind] += int(amount)
    currencies = sorted({currency for _m, currency in sums})
    return [
        CashFlowMonth(
            month=month,
            currency=currency,
            income=from_minor(sums[(month, currency)][INCOME], currency),
            expense=from_minor(sums[(month, currency)][EXPENSE], currency),
            net=from_minor(sum(sums[(month, currency)].values()), currency),
        )
        for month in period_starts(date_from, date_to, Interval.MONTH)
        for currency in currencies
    ]


def cash_flow_queries(owner_id: UUID, date_from: date, date_to: date) -> list[sa.Select[Any]]:
    statements = []
    for table, where in segments(owner_id, date_from, date_to):
        t = table.c
        statements.append(
            sa.select(t.month, t.currency, t.kind, sa.func.sum(t.amount_minor))
            .select_from(table.outerjoin(rm_categories, _c.id == t.category_id))
            .where(*where, sa.or_(_c.kind.is_(None), _c.kind != TRANSFER))
            .group_by(t.month, t.currency, t.kind)
        )
    return statements
