"""A reader tailing the log by ``id > last_seen`` sees every event exactly once, in order.

Regression for stack-facts 0.3: without serialised appends, an early id committed late is
skipped forever by a reader that already moved past it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from uuid import uuid4

import pytest
import sqlalchemy as sa
from eventsourcing.persistence import StoredEvent
from sqlalchemy.engine import Connection, Engine

from adapters.persistence.application_recorder import SqlApplicationRecorder


class Tail:
    """Polls select_notifications from its last seen id, as a projection does."""

    def __init__(self, recorder: SqlApplicationRecorder) -> None:
        self.recorder, self.seen, self.stop = recorder, list[int](), threading.Event()
        self.thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        last = 0
        while not self.stop.is_set():
            page = self.recorder.select_notifications(last, 100, inclusive_of_start=False)
            self.seen += [n.id for n in page]
            last = page[-1].id if page else last
            time.sleep(0.005)

    def until(self, expected: int, timeout: float = 30) -> list[int]:
        deadline = time.monotonic() + timeout
        while len(self.seen) < expected and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.2)  # would a duplicate or a straggler still arrive?
        self.stop.set()
        self.thread.join()
        return self.seen


@pytest.fixture
def slow_commits(engine: Engine) -> Iterator[threading.local]:
    """Threads that set ``.delay`` sleep that long between their INSERT and their COMMIT."""
    local = threading.local()
    inserted = threading.Event()

    def before_commit(_conn: Connection) -> None:
        if getattr(local, "delay", 0):
            inserted.set()
            time.sleep(local.delay)

    sa.event.listen(engine, "commit", before_commit)
    local.inserted = inserted
    yield local
    sa.event.remove(engine, "commit", before_commit)


def _event() -> list[StoredEvent]:
    return [StoredEvent(uuid4(), 1, "t:Event", b"{}")]


def test_an_early_id_committed_late_is_not_skipped(
    engine: Engine, slow_commits: threading.local
) -> None:
    recorder = SqlApplicationRecorder(engine)
    tail = Tail(recorder)
    tail.thread.start()
    ids: dict[str, int] = {}

    def slow() -> None:
        slow_commits.delay = 1.0
        ids["slow"] = recorder.insert_events(_event())[0]

    slow_writer = threading.Thread(target=slow)
    slow_writer.start()
    assert slow_commits.inserted.wait(5)
    ids["fast"] = recorder.insert_events(_event())[0]  # waits for the slow writer's commit
    slow_writer.join()

    assert tail.until(2) == [ids["slow"], ids["fast"]]
    assert ids["slow"] < ids["fast"]


def test_concurrent_writers_lose_and_duplicate_nothing(engine: Engine) -> None:
    recorder = SqlApplicationRecorder(engine)
    tail = Tail(recorder)
    tail.thread.start()
    writers, saves = 4, 150
    written: list[int] = []

    def write() -> None:
        for _ in range(saves):
            written.extend(recorder.insert_events(_event()))

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    seen = tail.until(writers * saves)
    assert len(written) == writers * saves
    assert sorted(set(written) - set(seen)) == []  # missed
    assert len(seen) == len(set(seen))  # duplicated
    assert seen == sorted(seen)
