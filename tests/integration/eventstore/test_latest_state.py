"""``select_latest``: an aggregate's newest snapshot and the events after it, in one statement
unless the events after the snapshot outnumber what that statement reads."""

from __future__ import annotations

from uuid import UUID, uuid4

import sqlalchemy as sa
from eventsourcing.persistence import StoredEvent
from sqlalchemy.engine import Engine

from adapters.persistence.aggregate_recorder import SqlAggregateRecorder
from adapters.persistence.application_recorder import SqlApplicationRecorder
from adapters.persistence.latest import RECENT


def _stored(n: int) -> tuple[UUID, list[StoredEvent]]:
    oid = uuid4()
    return oid, [StoredEvent(oid, v, "t:Event", f"state {v}".encode()) for v in range(1, n + 1)]


def test_without_a_snapshot_every_event_comes_in_version_order(engine: Engine) -> None:
    recorder = SqlApplicationRecorder(engine)
    oid, stored = _stored(3)
    recorder.insert_events([*reversed(stored), *_stored(2)[1]])  # and another aggregate's

    assert recorder.select_latest(oid) == (None, stored)


def test_the_newest_snapshot_comes_with_only_the_events_after_it(engine: Engine) -> None:
    recorder, snapshots = SqlApplicationRecorder(engine), SqlAggregateRecorder(engine)
    oid, stored = _stored(12)
    recorder.insert_events(stored)
    taken = [StoredEvent(oid, v, "t:Snapshot", f"snapshot {v}".encode()) for v in (5, 10)]
    snapshots.insert_events(taken)
    snapshots.insert_events([StoredEvent(uuid4(), 11, "t:Snapshot", b"another")])

    assert recorder.select_latest(oid) == (taken[1], stored[10:])


def test_a_snapshot_of_the_last_version_comes_alone(engine: Engine) -> None:
    recorder, snapshots = SqlApplicationRecorder(engine), SqlAggregateRecorder(engine)
    oid, stored = _stored(5)
    recorder.insert_events(stored)
    snapshot = StoredEvent(oid, 5, "t:Snapshot", b"snapshot 5")
    snapshots.insert_events([snapshot])

    assert recorder.select_latest(oid) == (snapshot, [])


def test_an_unknown_aggregate_has_no_state(engine: Engine) -> None:
    recorder = SqlApplicationRecorder(engine)
    recorder.insert_events(_stored(2)[1])

    assert recorder.select_latest(uuid4()) == (None, [])


def test_it_is_one_statement(engine: Engine) -> None:
    recorder = SqlApplicationRecorder(engine)
    oid, stored = _stored(2)
    recorder.insert_events(stored)
    statements: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))

    recorder.select_latest(oid)

    queries = [s for s in statements if s != "BEGIN"]  # SQLite opens with a BEGIN
    assert len(queries) == 1


def test_more_events_than_one_statement_reads_still_come_whole_and_in_order(engine: Engine) -> None:
    recorder, snapshots = SqlApplicationRecorder(engine), SqlAggregateRecorder(engine)
    oid, stored = _stored(2 * RECENT + 30)
    recorder.insert_events(stored)
    assert recorder.select_latest(oid) == (None, stored)  # no snapshot: from version 1

    snapshot = StoredEvent(oid, 10, "t:Snapshot", b"snapshot 10")  # long before the recent ones
    snapshots.insert_events([snapshot])
    assert recorder.select_latest(oid) == (snapshot, stored[10:])


def test_events_after_a_snapshot_just_within_one_statement_take_one(engine: Engine) -> None:
    recorder, snapshots = SqlApplicationRecorder(engine), SqlAggregateRecorder(engine)
    oid, stored = _stored(RECENT + 1)
    recorder.insert_events(stored)
    snapshot = StoredEvent(oid, 1, "t:Snapshot", b"snapshot 1")
    snapshots.insert_events([snapshot])
    statements: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))

    assert recorder.select_latest(oid) == (snapshot, stored[1:])
    assert len([s for s in statements if s != "BEGIN"]) == 1
