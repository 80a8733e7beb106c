"""Writes the history projection: one multi-row INSERT per page (and the page's purges)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from adapters.readmodel.bulk import insert_rows
from adapters.readmodel.sealing import KeyringTextProtector
from adapters.readmodel.tables import HISTORY_TABLES, rm_transaction_history
from adapters.readmodel.writer import TableSet
from projections.envelope import Envelope
from projections.history import NAME, fold_history


class HistoryWriter:
    name = NAME

    def __init__(self, protector: KeyringTextProtector) -> None:
        self._protector = protector

    def tables(self) -> Sequence[sa.Table]:
        return HISTORY_TABLES

    def apply(self, conn: Connection, page: Sequence[Envelope], tables: TableSet) -> None:
        changes = fold_history(page, self._protector)
        table = tables[rm_transaction_history]
        if changes.purged:
            conn.execute(sa.delete(table).where(table.c.owner_id.in_(changes.purged)))
        insert_rows(
            conn,
            table,
            ("transaction_id", "position", "owner_id", "at", "actor", "event", "changes"),
            [
                (
                    r.transaction_id.bytes,
                    r.position,
                    r.owner_id.bytes,
                    r.at.astimezone(UTC).replace(tzinfo=None),
                    r.actor,
                    r.event,
                    r.changes,
                )
                for r in changes.rows
            ],
        )
