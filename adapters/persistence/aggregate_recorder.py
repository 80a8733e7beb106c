"""Stored events of one table, by aggregate: inserts and selects (the snapshots use this alone)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from eventsourcing.persistence import AggregateRecorder, StoredEvent
from sqlalchemy.engine import Engine

from adapters.persistence.tables import snapshots
from adapters.persistence.transaction import reading, writing


class SqlAggregateRecorder(AggregateRecorder):
    def __init__(self, engine: Engine, table: sa.Table = snapshots) -> None:
        self.engine = engine
        self.table = table
        c = table.c
        self._insert = table.insert()
        self._select = sa.select(c.originator_id, c.originator_version, c.topic, c.state)

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        reject_unexpected(kwargs)
        if stored_events:
            with writing(self.engine) as conn:
                conn.execute(self._insert, event_rows(stored_events))
        return None

    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> list[StoredEvent]:
        version = self.table.c.originator_version
        stmt = self._select.where(self.table.c.originator_id == uuid_bytes(originator_id))
        if gt is not None:
            stmt = stmt.where(version > gt)
        if lte is not None:
            stmt = stmt.where(version <= lte)
        stmt = stmt.order_by(version.desc() if desc else version)
        if limit is not None:
            stmt = stmt.limit(limit)
        with reading(self.engine) as conn:
            rows = conn.execute(stmt).all()
        return [
            StoredEvent(originator_id=UUID(bytes=oid), originator_version=v, topic=t, state=s)
            for oid, v, t, s in rows
        ]


def event_rows(stored_events: Sequence[StoredEvent]) -> list[dict[str, Any]]:
    return [
        {
            "originator_id": uuid_bytes(e.originator_id),
            "originator_version": e.originator_version,
            "topic": e.topic,
            "state": e.state,
        }
        for e in stored_events
    ]


def uuid_bytes(originator_id: UUID | str) -> bytes:
    """Originator ids are UUIDs, stored as BINARY(16); their string form is accepted too."""
    return (originator_id if isinstance(originator_id, UUID) else UUID(originator_id)).bytes


def reject_unexpected(kwargs: dict[str, Any]) -> None:
    if kwargs:
        raise TypeError(f"insert_events() got unexpected arguments: {sorted(kwargs)}")
