"""The application's event log: appends in id order, reads by notification id, subscriptions.

One append is one transaction holding the events, an optional tracking position and an optional
idempotency claim. Appends are serialised (``transaction.writing(ordered=True)``), so the ids of
one statement are contiguous and ids become visible in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from eventsourcing.persistence import (
    ApplicationRecorder,
    Notification,
    StoredEvent,
    Tracking,
)
from sqlalchemy.engine import Engine

from adapters.persistence.aggregate_recorder import SqlAggregateRecorder, reject_unexpected
from adapters.persistence.append import EventAppender
from adapters.persistence.idempotency_store import record_claim
from adapters.persistence.signal import CommitSignal
from adapters.persistence.subscription import PollingSubscription
from adapters.persistence.tables import events
from adapters.persistence.tracking_recorder import record_tracking
from adapters.persistence.transaction import reading, writing
from application.idempotency import IdempotencyClaim

_e = events.c
_SELECT = sa.select(_e.id, _e.originator_id, _e.originator_version, _e.topic, _e.state)
_MAX_ID = sa.select(sa.func.max(_e.id))


class SqlApplicationRecorder(SqlAggregateRecorder, ApplicationRecorder):
    def __init__(self, engine: Engine, *, poll_interval: float = 0.2) -> None:
        super().__init__(engine, events)
        self._append = EventAppender(engine.dialect, events)
        self.poll_interval = poll_interval
        self._appended = CommitSignal()

    def insert_events(
        self,
        stored_events: Sequence[StoredEvent],
        *,
        tracking: Tracking | None = None,
        idempotency: IdempotencyClaim | None = None,
        **kwargs: Any,
    ) -> list[int]:
        reject_unexpected(kwargs)
        if not (stored_events or tracking or idempotency):
            return []
        with writing(self.engine, ordered=bool(stored_events)) as conn:
            ids = self._append(conn, stored_events) if stored_events else []
            if tracking is not None:
                record_tracking(conn, tracking)
            if idempotency is not None:
                position = ids[-1] if ids else conn.execute(_MAX_ID).scalar() or 0
                record_claim(conn, idempotency, position)
        self._after_commit(appended=bool(ids), tracked=tracking is not None)
        return ids

    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> list[Notification]:
        stmt = _SELECT
        if start is not None:
            stmt = stmt.where(_e.id >= start if inclusive_of_start else _e.id > start)
        if stop is not None:
            stmt = stmt.where(_e.id <= stop)
        if topics:
            stmt = stmt.where(_e.topic.in_(topics))
        stmt = stmt.order_by(_e.id).limit(limit)
        with reading(self.engine) as conn:
            rows = conn.execute(stmt).all()  # one fetchall: iterating fetches row by row
        return [
            Notification(
                id=id_, originator_id=UUID(bytes=oid), originator_version=v, topic=t, state=s
            )
            for id_, oid, v, t, s in rows
        ]

    def max_notification_id(self) -> int | None:
        with reading(self.engine) as conn:
            found: int | None = conn.execute(_MAX_ID).scalar()
            return found

    def subscribe(self, gt: int | None = None, topics: Sequence[str] = ()) -> PollingSubscription:
        return PollingSubscription(
            self, self._appended, gt=gt, topics=topics, poll_interval=self.poll_interval
        )

    def _after_commit(self, *, appended: bool, tracked: bool) -> None:
        if appended:
            self._appended.notify()
