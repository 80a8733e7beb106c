"""An append that requires aggregates its command read to be unchanged: stored only if they are."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent
from sqlalchemy.engine import Engine

from adapters.persistence.application_recorder import SqlApplicationRecorder


def _events(n: int, originator_id: UUID | None = None) -> list[StoredEvent]:
    originator_id = originator_id or uuid4()
    return [StoredEvent(originator_id, v, "t:Event", b"{}") for v in range(1, n + 1)]


def test_an_append_is_stored_while_what_it_read_is_unchanged(engine: Engine) -> None:
    recorder = SqlApplicationRecorder(engine)
    first, second = uuid4(), uuid4()
    recorder.insert_events([*_events(3, first), *_events(1, second)])
    appended = _events(2)

    recorder.insert_events(appended, requires={first: 3, second: 1})

    assert recorder.select_events(appended[0].originator_id) == appended


@pytest.mark.parametrize(
    "requires",
    [{"first": 2}, {"first": 3, "second": 2}, {"unknown": 1}],
    ids=["moved", "one of two moved", "never stored"],
)
def test_an_append_whose_reads_moved_stores_nothing(
    engine: Engine, requires: dict[str, int]
) -> None:
    recorder = SqlApplicationRecorder(engine)
    ids = {"first": uuid4(), "second": uuid4(), "unknown": uuid4()}
    recorder.insert_events([*_events(3, ids["first"]), *_events(1, ids["second"])])
    appended = _events(2)

    with pytest.raises(IntegrityError, match="changed since"):
        recorder.insert_events(appended, requires={ids[k]: v for k, v in requires.items()})

    assert recorder.select_events(appended[0].originator_id) == []
