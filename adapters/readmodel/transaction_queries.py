"""Async queries of the transactions list: a filtered keyset page, one transaction, its history.

Reads only the page it returns: the ids come from one indexed SELECT bounded by the owner, then the
page's tags and split lines in one SELECT each, and only the page's sealed text is decrypted.
Unknown ids in a filter (another owner's look the same) are an ``InvalidQuery``; an unknown
transaction is ``ViewNotFound``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.crypto.keyring import Keyring
from adapters.readmodel.cursor import CursorCodec
from adapters.readmodel.report_tables import rm_accounts, rm_categories
from adapters.readmodel.sealing import KeyringTextProtector
from adapters.readmodel.tables import (
    rm_transaction_history,
    rm_transaction_splits,
    rm_transaction_tags,
    rm_transactions,
)
from adapters.readmodel.transaction_filters import list_statement, sort_value
from projections.errors import InvalidQuery, ViewNotFound
from projections.history import changes_context, changes_from_json
from projections.minor_units import from_minor
from projections.query_rules import check_filters, check_limit
from projections.text_protector import field_context
from projections.transaction_state import SPLIT_TABLE, TABLE, TEXT_FIELDS
from projections.transaction_views import (
    HistoryEntry,
    SplitLineView,
    TransactionFilters,
    TransactionPage,
    TransactionSort,
    TransactionView,
)

DEFAULT_LIMIT = 50
t = rm_transactions.c


class TransactionQueries:
    def __init__(self, engine: AsyncEngine, keyring: Keyring, secret_key: bytes) -> None:
        self._engine = engine
        self._protector = KeyringTextProtector(keyring)
        self._cursors = CursorCodec(secret_key)

    async def list_transactions(
        self,
        owner_id: UUID,
        filters: TransactionFilters | None = None,
        sort: TransactionSort = TransactionSort.BOOKED_DESC,
        limit: int = DEFAULT_LIMIT,
        cursor: str | None = None,
    ) -> TransactionPage:
        filters = filters or TransactionFilters()
        check_limit(limit)
        words = check_filters(filters)
        after = None if cursor is None else self._cursors.decode(cursor, sort)
        terms = self._protector.hashed(owner_id, words)
        if words and not terms:
            return TransactionPage((), None)  # the owner's keys are gone: nothing to find
        query = list_statement(owner_id, filters, sort, terms, after=after, limit=limit + 1)
        async with self._engine.connect() as conn:
            await _check_known(conn, owner_id, filters)
            rows = (await conn.execute(query)).all()
            more = len(rows) > limit
            rows = rows[:limit]
            items = await self._views(conn, rows)
        next_cursor = None
        if more and rows:
            last = rows[-1]
            value = sort_value(sort, last.booked_on, last.amount_minor)
            next_cursor = self._cursors.encode(sort, value, last.id)
        return TransactionPage(tuple(items), next_cursor)

    async def get_transaction(self, owner_id: UUID, transaction_id: UUID) -> TransactionView:
        """One transaction of the owner's, deleted ones included (flagged)."""
        query = sa.select(rm_transactions).where(t.owner_id == owner_id, t.id == transaction_id)
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
            if row is None:
                raise ViewNotFound("transaction", transaction_id)
            return (await self._views(conn, [row]))[0]

    async def transaction_history(self, owner_id: UUID, transaction_id: UUID) -> list[HistoryEntry]:
        """Every change of the transaction, oldest first: when, by whom, which fields."""
        h = rm_transaction_history.c
        query = (
            sa.select(h.position, h.at, h.actor, h.event, h.changes)
            .where(h.transaction_id == transaction_id, h.owner_id == owner_id)
            .order_by(h.position)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        if not rows:
            raise ViewNotFound("transaction", transaction_id)
        entries = []
        open_field = self._protector.opener(owner_id)
        for row in rows:
            text = open_field(row.changes, changes_context(transaction_id, row.position))
            entries.append(
                HistoryEntry(
                    position=row.position,
                    at=row.at,
                    actor=row.actor,
                    event=row.event,
                    changes=changes_from_json(text) if text else {},
                )
            )
        return entries

    async def tags(self, owner_id: UUID) -> list[tuple[str, int]]:
        """The owner's tags with how many transactions carry each, most used first."""
        g = rm_transaction_tags.c
        query = (
            sa.select(g.tag, sa.func.count())
            .where(g.owner_id == owner_id)
            .group_by(g.tag)
            .order_by(sa.func.count().desc(), g.tag)
        )
        async with self._engine.connect() as conn:
            return [(tag, int(n)) for tag, n in (await conn.execute(query)).all()]

    async def _views(
        self, conn: AsyncConnection, rows: Sequence[sa.Row[Any]]
    ) -> list[TransactionView]:
        ids = [row.id for row in rows]
        if not ids:
            return []
        g, s = rm_transaction_tags.c, rm_transaction_splits.c
        tags: dict[UUID, list[str]] = {}
        for tid, tag in (
            await conn.execute(sa.select(g.transaction_id, g.tag).where(g.transaction_id.in_(ids)))
        ).all():
            tags.setdefault(tid, []).append(tag)
        splits: dict[UUID, list[sa.Row[Any]]] = {}
        split_ids = [row.id for row in rows if row.split]
        if split_ids:  # most pages have none: no query
            query = (
                sa.select(rm_transaction_splits)
                .where(s.transaction_id.in_(split_ids))
                .order_by(s.transaction_id, s.line_no)
            )
            for line in (await conn.execute(query)).all():
                splits.setdefault(line.transaction_id, []).append(line)
        open_field = self._protector.opener(rows[0].owner_id)  # a page is one owner's
        return [
            _view(row, sorted(tags.get(row.id, [])), splits.get(row.id, []), open_field)
            for row in rows
        ]


def _view(
    row: sa.Row[Any],
    tags: list[str],
    lines: Iterable[sa.Row[Any]],
    open_field: Callable[[bytes, bytes], str | None],
) -> TransactionView:
    text = {
        name: None if (blob := getattr(row, name)) is None
        else open_field(blob, field_context(TABLE, name, row.id.bytes))
        for name in TEXT_FIELDS
    }  # fmt: skip
    return TransactionView(
        id=row.id,
        account_id=row.account_id,
        amount=from_minor(row.amount_minor, row.currency),
        booked_on=row.booked_on,
        value_date=row.value_date,
        payee=text["payee"] or "",
        counterparty_name=text["counterparty_name"] or "",
        counterparty_iban=text["counterparty_iban"],
        description=text["description"] or "",
        notes=text["notes"] or "",
        external_reference=text["external_reference"],
        category_id=row.category_id,
        tags=tuple(tags),
        source=row.source,
        splits=tuple(
            SplitLineView(
                category_id=line.category_id,
                amount=from_minor(line.amount_minor, row.currency),
                memo=open_field(
                    line.memo,
                    field_context(
                        SPLIT_TABLE, "memo", row.id.bytes + line.line_no.to_bytes(8, "big")
                    ),
                )
                or "",
            )
            for line in lines
        ),
        deleted=bool(row.deleted),
        position=row.position,
    )


async def _check_known(conn: AsyncConnection, owner_id: UUID, filters: TransactionFilters) -> None:
    for parameter, table, ids in (
        ("account_ids", rm_accounts, filters.account_ids),
        ("category_ids", rm_categories, filters.category_ids),
    ):
        if not ids:
            continue
        found = set(
            (
                await conn.execute(
                    sa.select(table.c.id).where(table.c.owner_id == owner_id, table.c.id.in_(ids))
                )
            ).scalars()
        )
        unknown = sorted(str(i) for i in ids - found)
        if unknown:
            raise InvalidQuery(parameter, f"unknown id(s): {', '.join(unknown)}")
