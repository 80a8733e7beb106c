"""The application's event log: appends in id order, reads by notification id, subscriptions.

One append is one transaction holding the events, an optional tracking position and an optional
idempotency claim; concurrent appends share one (``group_commit``). An append may also require
that aggregates its command only read are still at the versions it read (``requires``, see
``application.reads``): checked under the writer lock, so nothing can move them before the
commit. Appends are serialised (``transaction.writing(ordered=True)``), so the ids of one
statement are contiguous and ids become visible in order. ``select_latest`` reads an
aggregate's latest snapshot and the events after it, usually in one round trip.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from copy import copy
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from eventsourcing.persistence import (
    ApplicationRecorder,
    IntegrityError,
    Notification,
    StoredEvent,
    Tracking,
)
from sqlalchemy.engine import Engine

from adapters.persistence.aggregate_recorder import SqlAggregateRecorder, reject_unexpected
from adapters.persistence.append import EventAppender
from adapters.persistence.group_commit import Append, GroupCommit
from adapters.persistence.idempotency_store import record_claim
from adapters.persistence.latest import LatestStateSelect
from adapters.persistence.requirements import RequirementCheck
from adapters.persistence.signal import CommitSignal
from adapters.persistence.subscription import PollingSubscription
from adapters.persistence.tables import events, snapshots
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
        self._latest = LatestStateSelect(engine.dialect, events, snapshots)
        self._requirements = RequirementCheck(engine.dialect, events)
        self.poll_interval = poll_interval
        self._appended = CommitSignal()
        self._group = GroupCommit(self._write_batch)

    def insert_events(
        self,
        stored_events: Sequence[StoredEvent],
        *,
        tracking: Tracking | None = None,
        idempotency: IdempotencyClaim | None = None,
        requires: Mapping[UUID, int] | None = None,
        **kwargs: Any,
    ) -> list[int]:
        reject_unexpected(kwargs)
        if not (stored_events or tracking or idempotency):
            return []
        if tracking is not None:  # a processor's own, one at a time anyway
            return self._insert_alone(stored_events, tracking, idempotency, requires)
        append = Append(stored_events, idempotency, requires or {})
        self._group.submit(append)
        if append.outcome == "alone":
            return self._insert_alone(stored_events, None, idempotency, requires)
        if isinstance(append.outcome, BaseException):
            raise append.outcome
        return append.ids

    def _insert_alone(
        self,
        stored_events: Sequence[StoredEvent],
        tracking: Tracking | None,
        idempotency: IdempotencyClaim | None,
        requires: Mapping[UUID, int] | None = None,
    ) -> list[int]:
        with writing(self.engine, ordered=bool(stored_events)) as conn:
            if requires and self._requirements.moved(conn, [requires]):  # nothing is written
                raise _stale()
            ids = self._append(conn, stored_events) if stored_events else []
            if tracking is not None:
                record_tracking(conn, tracking)
            if idempotency is not None:
                position = ids[-1] if ids else conn.execute(_MAX_ID).scalar() or 0
                record_claim(conn, idempotency, position)
        self._after_commit(appended=bool(ids), tracked=tracking is not None)
        return ids

    def _write_batch(self, batch: list[Append]) -> None:
        """Every member's events and claim in one transaction (see ``group_commit``)."""
        if len(batch) == 1:  # nothing to share: exactly the single append
            (only,) = batch
            try:
                only.ids = self._insert_alone(only.events, None, only.claim, only.requires)
            except Exception as error:  # noqa: BLE001 - handed to the caller, who raises it
                only.outcome = error
            else:
                only.outcome = "stored"
            return
        sent = False  # every statement ran; an error now comes from the commit
        try:
            with writing(self.engine, ordered=True) as conn:
                stale = self._requirements.moved(conn, [member.requires for member in batch])
                for i in stale:
                    batch[i].outcome = _stale()  # refused alone; the others go on
                batch = [member for i, member in enumerate(batch) if i not in stale]
                stored = [event for member in batch for event in member.events]
                ids = self._append(conn, stored) if stored else []
                head = ids[-1] if ids else conn.execute(_MAX_ID).scalar() or 0
                start = 0
                for member in batch:  # rows went in member by member; ids ascend in row order
                    member.ids = ids[start : start + len(member.events)]
                    start += len(member.events)
                    if member.claim is not None:
                        record_claim(conn, member.claim, member.ids[-1] if member.ids else head)
                sent = True
        except Exception as error:  # noqa: BLE001 - handed to the members, who raise or retry
            for member in batch:
                member.outcome = _own_copy(error) if sent else "alone"
            return
        for member in batch:
            member.outcome = "stored"
        self._after_commit(appended=bool(ids), tracked=False)

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

    def select_latest(self, originator_id: UUID) -> tuple[StoredEvent | None, list[StoredEvent]]:
        """The aggregate's newest snapshot (or None) and its events after that snapshot."""
        with reading(self.engine) as conn:
            return self._latest(conn, originator_id)

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


def _stale() -> IntegrityError:
    return IntegrityError("an aggregate the command read has changed since: run it again")


def _own_copy(error: Exception) -> Exception:
    """Each member raises its own exception object (threads must not raise a shared one); the
    batch's error, with its traceback, is the cause."""
    try:
        own = copy(error)
    except TypeError:  # an exception class whose constructor copy() cannot call
        return error
    own.__cause__ = error
    return own
