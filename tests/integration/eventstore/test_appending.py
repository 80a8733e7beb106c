"""Appending events: ids, atomicity with tracking and idempotency claims, large events."""

from __future__ import annotations

from uuid import uuid4

import pytest
import sqlalchemy as sa
from eventsourcing.persistence import IntegrityError, OperationalError, StoredEvent, Tracking
from sqlalchemy.engine import Engine

from adapters.persistence.application_recorder import SqlApplicationRecorder
from adapters.persistence.idempotency_store import SqlIdempotencyStore
from adapters.persistence.process_recorder import SqlProcessRecorder
from adapters.persistence.tables import writer_lock
from application.idempotency import IdempotencyClaim


def _events(n: int, state: bytes = b"{}") -> list[StoredEvent]:
    originator_id = uuid4()
    return [StoredEvent(originator_id, v, "t:Event", state) for v in range(1, n + 1)]


def _claim(key: str = "k1") -> IdempotencyClaim:
    return IdempotencyClaim(uuid4(), key, b"h" * 32, b'{"id": 1}')


def test_a_bulk_append_returns_contiguous_ids_in_row_order(engine: Engine) -> None:
    recorder = SqlApplicationRecorder(engine)
    recorder.insert_events(_events(3))
    stored = _events(2500)  # more than one statement's worth of rows

    ids = recorder.insert_events(stored)

    assert ids == list(range(4, 2504))
    log = recorder.select_notifications(4, 2500)
    assert [(n.originator_id, n.originator_version) for n in log] == [
        (e.originator_id, e.originator_version) for e in stored
    ]


def test_an_event_of_more_than_one_mebibyte_is_stored_intact(engine: Engine) -> None:
    recorder = SqlApplicationRecorder(engine)
    state = bytes(range(256)) * 4097  # 1 MiB + 256 B, every byte value

    (stored,) = _events(1, state)
    recorder.insert_events([stored])

    assert recorder.select_events(stored.originator_id)[0].state == state


def test_the_claim_records_the_last_id_of_its_events(engine: Engine) -> None:
    recorder, store, claim = SqlApplicationRecorder(engine), SqlIdempotencyStore(engine), _claim()

    ids = recorder.insert_events(_events(3), idempotency=claim)

    found = store.find(claim.owner_id, claim.key)
    assert found is not None
    assert (found.position, found.request_hash, found.result) == (ids[-1], b"h" * 32, b'{"id": 1}')
    assert store.find(claim.owner_id, "other") is None
    assert store.find(uuid4(), claim.key) is None


def test_a_repeated_claim_is_refused_and_its_events_are_not_written(engine: Engine) -> None:
    recorder, claim = SqlApplicationRecorder(engine), _claim()
    recorder.insert_events(_events(1), idempotency=claim)
    repeat = _events(2)

    with pytest.raises(IntegrityError):
        recorder.insert_events(repeat, idempotency=claim)

    assert recorder.select_events(repeat[0].originator_id) == []
    assert recorder.max_notification_id() == 1


def test_a_conflicting_event_rolls_back_the_claim_and_tracking(engine: Engine) -> None:
    recorder, claim = SqlProcessRecorder(engine), _claim()
    first = _events(1)
    recorder.insert_events(first)

    with pytest.raises(IntegrityError):
        recorder.insert_events(first, tracking=Tracking("up", 7), idempotency=claim)

    assert SqlIdempotencyStore(engine).find(claim.owner_id, claim.key) is None
    assert recorder.max_tracking_id("up") is None


def test_a_stale_tracking_position_rolls_back_the_events(engine: Engine) -> None:
    recorder = SqlProcessRecorder(engine)
    recorder.insert_events(_events(1), tracking=Tracking("up", 5))
    late = _events(1)

    with pytest.raises(IntegrityError):
        recorder.insert_events(late, tracking=Tracking("up", 5))

    assert recorder.select_events(late[0].originator_id) == []


def test_unknown_keyword_arguments_are_refused(engine: Engine) -> None:
    with pytest.raises(TypeError, match="unexpected"):
        SqlApplicationRecorder(engine).insert_events(_events(1), tracker=None)


@pytest.mark.mariadb
def test_an_append_without_the_writer_lock_row_is_refused(mariadb_engine: Engine) -> None:
    with mariadb_engine.begin() as conn:
        conn.execute(sa.delete(writer_lock))  # locking a missing row would serialise nothing

    with pytest.raises(OperationalError, match="run `fintrack migrate`"):
        SqlApplicationRecorder(mariadb_engine).insert_events(_events(1))
