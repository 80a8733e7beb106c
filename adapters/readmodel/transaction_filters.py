"""The SQL of a transactions-list query: filters as conditions, sort order and keyset position.

Every condition is bounded by the owner (the first column of every index). Amount bounds are
converted per currency exponent, so ``amount_min=10`` means 10 EUR (1000 cents) and 10 JPY (10 yen).
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from adapters.readmodel.report_tables import rm_category_closure
from adapters.readmodel.tables import (
    rm_transaction_splits,
    rm_transaction_tags,
    rm_transaction_terms,
    rm_transactions,
)
from domain.currency import MINOR_UNITS
from projections.transaction_views import TransactionFilters, TransactionSort

t = rm_transactions.c
_BY_EXPONENT: dict[int, list[str]] = defaultdict(list)
for _code, _units in MINOR_UNITS.items():
    _BY_EXPONENT[_units].append(_code)
_COMMON = 2  # most currencies: written as "NOT IN the others" to keep the statement short


def conditions(
    owner_id: UUID, filters: TransactionFilters, terms: list[bytes]
) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = [t.owner_id == owner_id, t.deleted == sa.false()]
    if filters.account_ids:
        where.append(t.account_id.in_(sorted(filters.account_ids)))
    if filters.category_ids:
        where.append(_in_categories(owner_id, sorted(filters.category_ids)))
    if filters.uncategorised:
        where += [t.category_id.is_(None), t.split.is_(False)]
    where += _dates(t.booked_on, filters.booked_from, filters.booked_to)
    where += _dates(t.value_date, filters.value_from, filters.value_to)
    if filters.amount_min is not None or filters.amount_max is not None:
        where.append(_amount(filters.amount_min, filters.amount_max))
    if filters.source is not None:
        where.append(t.source == filters.source)
    tags = rm_transaction_tags.c
    for tag in sorted(filters.tags):
        where.append(
            t.id.in_(
                sa.select(tags.transaction_id).where(tags.owner_id == owner_id, tags.tag == tag)
            )
        )
    terms_c = rm_transaction_terms.c
    for term in terms:
        where.append(
            t.id.in_(
                sa.select(terms_c.transaction_id).where(
                    terms_c.owner_id == owner_id, terms_c.term == term
                )
            )
        )
    return where


def order_and_after(
    sort: TransactionSort, after: tuple[date | int, UUID] | None
) -> tuple[list[sa.UnaryExpression[Any]], sa.ColumnElement[bool] | None]:
    column: sa.ColumnElement[Any] = (
        t.amount_minor
        if sort in (TransactionSort.AMOUNT_ASC, TransactionSort.AMOUNT_DESC)
        else t.booked_on
    )
    descending = sort.value.startswith("-")
    order = [column.desc(), t.id.desc()] if descending else [column.asc(), t.id.asc()]
    if after is None:
        return order, None
    value, id_ = after
    if descending:
        return order, sa.or_(column < value, sa.and_(column == value, t.id < id_))
    return order, sa.or_(column > value, sa.and_(column == value, t.id > id_))


def list_statement(
    owner_id: UUID,
    filters: TransactionFilters,
    sort: TransactionSort,
    terms: list[bytes],
    *,
    after: tuple[date | int, UUID] | None,
    limit: int,
) -> sa.Select[Any]:
    """The one SELECT behind a page of the transactions list."""
    where = conditions(owner_id, filters, terms)
    order, after_condition = order_and_after(sort, after)
    if after_condition is not None:
        where.append(after_condition)
    query = sa.select(rm_transactions).where(*where).order_by(*order).limit(limit)
    if (index := sort_index(sort, filters, terms)) is not None:
        for dialect in ("mysql", "mariadb"):
            query = query.with_hint(rm_transactions, f"FORCE INDEX ({index})", dialect)
    return query


def sort_index(
    sort: TransactionSort, filters: TransactionFilters, terms: list[bytes]
) -> str | None:
    """The index that yields rows in ``sort`` order, for MariaDB to range-scan. With ORDER BY ..
    LIMIT, MariaDB 10.11 prefers a ``ref`` scan on (owner, deleted) and drops an upper date bound
    from the access path: 5 s instead of 13 ms at 200k rows (ANALYZE FORMAT=JSON, measured).
    Text search is left to the optimizer, which drives it from the blind index."""
    if terms:
        return None
    if sort in (TransactionSort.AMOUNT_ASC, TransactionSort.AMOUNT_DESC):
        return "ix_rm_transactions_owner_amount"
    if filters.account_ids:
        return "ix_rm_transactions_owner_account_booked"
    return "ix_rm_transactions_owner_booked"


def sort_value(sort: TransactionSort, booked_on: date, amount_minor: int) -> date | int:
    return (
        amount_minor
        if sort in (TransactionSort.AMOUNT_ASC, TransactionSort.AMOUNT_DESC)
        else booked_on
    )


def _in_categories(owner_id: UUID, category_ids: list[UUID]) -> sa.ColumnElement[bool]:
    c = rm_category_closure.c
    subtree = sa.select(c.descendant_id).where(
        c.owner_id == owner_id, c.ancestor_id.in_(category_ids)
    )
    s = rm_transaction_splits.c
    split_lines = sa.select(s.transaction_id).where(
        s.owner_id == owner_id, s.category_id.in_(subtree)
    )
    return sa.or_(
        sa.and_(t.split.is_(False), t.category_id.in_(subtree)),
        sa.and_(t.split.is_(True), t.id.in_(split_lines)),
    )


def _dates(
    column: sa.ColumnElement[date], low: date | None, high: date | None
) -> list[sa.ColumnElement[bool]]:
    found = []
    if low is not None:
        found.append(column >= low)
    if high is not None:
        found.append(column <= high)
    return found


def _amount(low: Decimal | None, high: Decimal | None) -> sa.ColumnElement[bool]:
    others = [code for units, codes in _BY_EXPONENT.items() if units != _COMMON for code in codes]
    groups = []
    for units, codes in sorted(_BY_EXPONENT.items()):
        currency = t.currency.not_in(others) if units == _COMMON else t.currency.in_(codes)
        bounds: list[sa.ColumnElement[bool]] = [currency]
        if low is not None:
            bounds.append(t.amount_minor >= math.ceil(low.scaleb(units)))
        if high is not None:
            bounds.append(t.amount_minor <= math.floor(high.scaleb(units)))
        groups.append(sa.and_(*bounds))
    return sa.or_(*groups)
