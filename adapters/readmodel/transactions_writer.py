"""Writes the transactions projection: rows, tags, split lines and the blind index, set-based.

Per page: one SELECT per table of the rows the page changes (``SqlTransactionStore``), the pure
fold, then for each table at most one DELETE of replaced rows and one multi-row INSERT.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from adapters.readmodel.bulk import insert_rows
from adapters.readmodel.sealing import KeyringTextProtector
from adapters.readmodel.tables import (
    TRANSACTION_TABLES,
)
from adapters.readmodel.writer import TableSet
from projections.envelope import Envelope
from projections.minor_units import from_minor, to_minor
from projections.transaction_state import TEXT_FIELDS, SplitLineState, TransactionState
from projections.transactions import NAME, fold_transactions

_DELETE_CHUNK = 1000  # keys per DELETE … WHERE (owner_id, term, transaction_id) IN (…)


class SqlTransactionStore:
    def __init__(self, conn: Connection, tables: TableSet) -> None:
        self._conn = conn
        self._tables = tables

    def load(self, ids: Collection[UUID]) -> Mapping[UUID, TransactionState]:
        t, tags, splits = (self._tables[x] for x in TRANSACTION_TABLES[:3])
        found = {
            row.id: _state(row) for row in self._conn.execute(sa.select(t).where(t.c.id.in_(ids)))
        }
        if not found:
            return found
        for row in self._conn.execute(
            sa.select(tags.c.transaction_id, tags.c.tag)
            .where(tags.c.transaction_id.in_(found))
            .order_by(tags.c.transaction_id, tags.c.tag)
        ):
            state = found[row.transaction_id]
            state.tags = (*state.tags, row.tag)
        lines: dict[UUID, list[SplitLineState]] = {}
        for row in self._conn.execute(
            sa.select(splits)
            .where(splits.c.transaction_id.in_(found))
            .order_by(splits.c.transaction_id, splits.c.line_no)
        ):
            currency = found[row.transaction_id].currency
            amount = from_minor(row.amount_minor, currency).amount
            lines.setdefault(row.transaction_id, []).append(
                SplitLineState(row.category_id, amount, bytes(row.memo))
            )
        for id_, state_lines in lines.items():
            found[id_].splits = tuple(state_lines)
        return found


class TransactionsWriter:
    name = NAME

    def __init__(self, protector: KeyringTextProtector) -> None:
        self._protector = protector

    def tables(self) -> Sequence[sa.Table]:
        return TRANSACTION_TABLES

    def apply(self, conn: Connection, page: Sequence[Envelope], tables: TableSet) -> None:
        changes = fold_transactions(page, SqlTransactionStore(conn, tables), self._protector)
        t, tags, splits, terms = (tables[x] for x in TRANSACTION_TABLES)
        if changes.purged:
            for table in (t, tags, splits, terms):
                conn.execute(sa.delete(table).where(table.c.owner_id.in_(changes.purged)))
        if changes.existing:
            conn.execute(sa.delete(t).where(t.c.id.in_(changes.existing)))
            for child in (tags, splits):
                conn.execute(sa.delete(child).where(child.c.transaction_id.in_(changes.existing)))
        removed = _term_rows(changes.terms_removed)
        for start in range(0, len(removed), _DELETE_CHUNK):
            key = sa.tuple_(terms.c.owner_id, terms.c.term, terms.c.transaction_id)
            conn.execute(sa.delete(terms).where(key.in_(removed[start : start + _DELETE_CHUNK])))
        insert_rows(conn, t, ROW_COLUMNS, [_row(s) for s in changes.upserts])
        _insert(conn, tags, [_tag(s, tag) for s in changes.upserts for tag in s.tags])
        _insert(
            conn,
            splits,
            [_split(s, n, line) for s in changes.upserts for n, line in enumerate(s.splits)],
        )
        insert_rows(
            conn, terms, ("owner_id", "term", "transaction_id"), _term_rows(changes.terms_added)
        )


def _insert(conn: Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(sa.insert(table), rows)


def _state(row: sa.Row[Any]) -> TransactionState:
    return TransactionState(
        id=row.id,
        owner_id=row.owner_id,
        account_id=row.account_id,
        amount=from_minor(row.amount_minor, row.currency).amount,
        currency=row.currency,
        booked_on=row.booked_on,
        value_date=row.value_date,
        category_id=row.category_id,
        source=row.source,
        deleted=row.deleted,
        position=row.position,
        sealed={
            name: None if (v := getattr(row, name)) is None else bytes(v) for name in TEXT_FIELDS
        },
    )


ROW_COLUMNS = (
    "id", "owner_id", "account_id", "category_id", "booked_on", "value_date", "amount_minor",
    "currency", "source", "deleted", "split", "position", *TEXT_FIELDS,
)  # fmt: skip


def _row(s: TransactionState) -> tuple[Any, ...]:
    return (
        s.id.bytes,
        s.owner_id.bytes,
        s.account_id.bytes,
        None if s.category_id is None else s.category_id.bytes,
        s.booked_on,
        s.value_date,
        to_minor(s.amount, s.currency),
        s.currency,
        s.source,
        int(s.deleted),
        int(bool(s.splits)),
        s.position,
        *(s.sealed.get(name) for name in TEXT_FIELDS),
    )


def _tag(s: TransactionState, tag: str) -> dict[str, Any]:
    return {"transaction_id": s.id, "tag": tag, "owner_id": s.owner_id}


def _split(s: TransactionState, line_no: int, line: SplitLineState) -> dict[str, Any]:
    return {
        "transaction_id": s.id,
        "line_no": line_no,
        "owner_id": s.owner_id,
        "category_id": line.category_id,
        "amount_minor": to_minor(line.amount, s.currency),
        "memo": line.memo,
    }


def _term_rows(
    terms: Mapping[UUID, tuple[UUID, frozenset[bytes]]],
) -> list[tuple[bytes, bytes, bytes]]:
    rows = []
    for id_, (owner_id, tokens) in terms.items():
        owner, tid = owner_id.bytes, id_.bytes
        rows += [(owner, term, tid) for term in tokens]
    rows.sort()  # in primary-key order: InnoDB appends within pages instead of splitting them
    return rows
