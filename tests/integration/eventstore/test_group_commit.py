"""Concurrent appends share a transaction, yet each gets exactly its own outcome."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from uuid import UUID, uuid4

import pytest
import sqlalchemy as sa
from eventsourcing.persistence import IntegrityError, StoredEvent
from sqlalchemy.engine import Engine

from adapters.persistence.application_recorder import SqlApplicationRecorder
from adapters.persistence.idempotency_store import SqlIdempotencyStore
from application.idempotency import IdempotencyClaim

TIMEOUT_S = 20.0


def _events(n: int, originator_id: UUID | None = None, first: int = 1) -> list[StoredEvent]:
    originator_id = originator_id or uuid4()
    return [StoredEvent(originator_id, v, "t:Event", b"{}") for v in range(first, first + n)]


def _claim(key: str, owner_id: UUID | None = None) -> IdempotencyClaim:
    return IdempotencyClaim(owner_id or uuid4(), key, b"h" * 32, b"{}")


def _wait_for(condition: Callable[[], bool], every: float = 0.005) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(every)


class Appender(threading.Thread):
    def __init__(self, recorder: SqlApplicationRecorder, events: list[StoredEvent], **kw: object):
        super().__init__()
        self.recorder, self.events, self.kw = recorder, events, kw
        self.ids: list[int] | None = None
        self.error: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            self.ids = self.recorder.insert_events(self.events, **self.kw)  # type: ignore[arg-type]
        except BaseException as error:
            self.error = error


@contextmanager
def writer_lock_held(engine: Engine) -> Iterator[Callable[[], int]]:
    """Hold the writer lock from outside; yields a count of transactions waiting for it (poll
    it slowly: InnoDB refreshes that table only when it was last read over 0.1 s ago)."""
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT id FROM writer_lock WHERE id = 1 FOR UPDATE"))

        def waiting() -> int:
            return int(
                conn.execute(
                    sa.text(
                        "SELECT COUNT(*) FROM information_schema.innodb_trx AS t "
                        "JOIN information_schema.processlist AS p "
                        "ON p.id = t.trx_mysql_thread_id "
                        "WHERE t.trx_state = 'LOCK WAIT' AND p.db = DATABASE()"
                    )
                ).scalar_one()
            )

        yield waiting
        conn.rollback()


def _batch_behind_a_held_lock(
    engine: Engine,
    recorder: SqlApplicationRecorder,
    appends: list[tuple[list[StoredEvent], dict[str, object]]],
) -> tuple[Appender, list[Appender]]:
    """A first append waits for the lock alone; the others queue meanwhile: one batch."""
    with writer_lock_held(engine) as waiting:
        first = Appender(recorder, _events(1))
        _wait_for(lambda: waiting() == 1, every=0.2)
        batch = [Appender(recorder, events, **kw) for events, kw in appends]
        _wait_for(lambda: recorder._group.queued == len(batch))
    for appender in (first, *batch):
        appender.join(TIMEOUT_S)
    return first, batch


def test_concurrent_appends_each_get_their_own_contiguous_ids(engine: Engine) -> None:
    recorder, store = SqlApplicationRecorder(engine), SqlIdempotencyStore(engine)
    claims = [_claim(f"k{i}") for i in range(12)]
    appenders = [Appender(recorder, _events(3), idempotency=claim) for claim in claims]
    for appender in appenders:
        appender.join(TIMEOUT_S)

    assert [a.error for a in appenders] == [None] * len(appenders)
    ids = [a.ids for a in appenders]
    assert all(i is not None and i == list(range(i[0], i[0] + 3)) for i in ids)
    assert sorted(n for i in ids if i for n in i) == list(range(1, 37))
    for appender, claim in zip(appenders, claims, strict=True):
        found = store.find(claim.owner_id, claim.key)
        assert found is not None
        assert appender.ids is not None
        assert found.position == appender.ids[-1]
        log = recorder.select_notifications(appender.ids[0], 3)
        assert [(n.originator_id, n.originator_version) for n in log] == [
            (e.originator_id, e.originator_version) for e in appender.events
        ]


@pytest.mark.mariadb
def test_appends_that_wait_together_are_committed_together(mariadb_engine: Engine) -> None:
    recorder = SqlApplicationRecorder(mariadb_engine)
    commits: list[object] = []
    sa.event.listen(mariadb_engine, "commit", commits.append)

    first, batch = _batch_behind_a_held_lock(
        mariadb_engine, recorder, [(_events(2), {}) for _ in range(4)]
    )

    assert [a.error for a in (first, *batch)] == [None] * 5
    assert len(commits) == 2  # the first append alone, then the four that queued behind it
    assert sorted(n for a in batch if a.ids for n in a.ids) == list(range(2, 10))


@pytest.mark.mariadb
def test_a_conflict_in_a_batch_fails_only_its_own_append(mariadb_engine: Engine) -> None:
    recorder, store = SqlApplicationRecorder(mariadb_engine), SqlIdempotencyStore(mariadb_engine)
    taken_id = uuid4()
    taken = _events(1, taken_id)
    recorder.insert_events(taken)
    claim = _claim("kept")

    _, (before, conflicting, after) = _batch_behind_a_held_lock(
        mariadb_engine,
        recorder,
        [
            (_events(2), {}),
            ([*_events(1, taken_id, first=2), *taken], {}),  # version 1 again
            (_events(1), {"idempotency": claim}),
        ],
    )

    assert isinstance(conflicting.error, IntegrityError)
    assert (before.error, after.error) == (None, None)
    assert recorder.select_events(taken_id) == taken  # nothing of it stored
    assert recorder.select_events(before.events[0].originator_id) == before.events
    found = store.find(claim.owner_id, claim.key)
    assert found is not None
    assert after.ids is not None
    assert found.position == after.ids[-1]


@pytest.mark.mariadb
def test_a_repeated_claim_in_a_batch_fails_only_its_own_append(mariadb_engine: Engine) -> None:
    recorder = SqlApplicationRecorder(mariadb_engine)
    owner = uuid4()
    recorder.insert_events(_events(1), idempotency=_claim("once", owner))

    _, (repeat, other) = _batch_behind_a_held_lock(
        mariadb_engine,
        recorder,
        [(_events(1), {"idempotency": _claim("once", owner)}), (_events(1), {})],
    )

    assert isinstance(repeat.error, IntegrityError)
    assert recorder.select_events(repeat.events[0].originator_id) == []
    assert other.error is None
    assert recorder.select_events(other.events[0].originator_id) == other.events


@pytest.mark.mariadb
def test_a_failed_commit_reaches_every_member_of_the_batch(mariadb_engine: Engine) -> None:
    recorder = SqlApplicationRecorder(mariadb_engine)
    failures = iter([False, True])  # the first append commits; the batch's commit fails

    def failing_commit(_conn: object) -> None:
        if next(failures, False):
            raise RuntimeError("commit failed")

    sa.event.listen(mariadb_engine, "commit", failing_commit)

    first, batch = _batch_behind_a_held_lock(
        mariadb_engine, recorder, [(_events(1), {}) for _ in range(3)]
    )

    assert first.error is None
    assert all(isinstance(a.error, RuntimeError) for a in batch)
    assert len({id(a.error) for a in batch}) == len(batch)  # each raised its own
    assert all(recorder.select_events(a.events[0].originator_id) == [] for a in batch)


@pytest.mark.mariadb
def test_an_append_whose_read_aggregate_moved_fails_alone_in_its_batch(
    mariadb_engine: Engine,
) -> None:
    recorder = SqlApplicationRecorder(mariadb_engine)
    read_id = uuid4()
    recorder.insert_events(_events(2, read_id))  # the read aggregate is at version 2

    _, (current, stale, free) = _batch_behind_a_held_lock(
        mariadb_engine,
        recorder,
        [
            (_events(1), {"requires": {read_id: 2}}),
            (_events(1), {"requires": {read_id: 1}}),  # read before version 2 was appended
            (_events(1), {}),
        ],
    )

    assert isinstance(stale.error, IntegrityError)
    assert recorder.select_events(stale.events[0].originator_id) == []
    assert (current.error, free.error) == (None, None)
    assert recorder.select_events(current.events[0].originator_id) == current.events
    assert recorder.select_events(free.events[0].originator_id) == free.events
