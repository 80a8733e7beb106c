"""Group commit: who leads, what a batch holds, and that every member hears its outcome."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from adapters.persistence.group_commit import Append, GroupCommit

TIMEOUT_S = 10.0


def _wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)


class HeldWriter:
    """A batch writer whose first batch waits until released; it records every batch."""

    def __init__(self) -> None:
        self.batches: list[list[Append]] = []
        self.release = threading.Event()
        self.writing = threading.Event()

    def __call__(self, batch: list[Append]) -> None:
        self.batches.append(batch)
        self.writing.set()
        assert self.release.wait(TIMEOUT_S)
        for member in batch:
            member.ids = [len(self.batches)]
            member.outcome = "stored"


def _submit_in_thread(group: GroupCommit, append: Append) -> threading.Thread:
    thread = threading.Thread(target=group.submit, args=(append,))
    thread.start()
    return thread


def test_a_lone_append_is_written_at_once_by_its_caller() -> None:
    written: list[list[Append]] = []

    def write(batch: list[Append]) -> None:
        written.append(batch)
        batch[0].outcome = "stored"

    append = Append([], None)
    GroupCommit(write).submit(append)

    assert append.outcome == "stored"
    assert written == [[append]]


def test_appends_arriving_during_a_write_are_written_together_next() -> None:
    writer = HeldWriter()
    group = GroupCommit(writer)
    first = Append([], None)
    threads = [_submit_in_thread(group, first)]
    assert writer.writing.wait(TIMEOUT_S)
    waiting = [Append([], None) for _ in range(5)]
    threads += [_submit_in_thread(group, append) for append in waiting]
    _wait_for(lambda: group.queued == len(waiting))

    writer.release.set()
    for thread in threads:
        thread.join(TIMEOUT_S)

    assert [len(batch) for batch in writer.batches] == [1, 5]
    assert set(writer.batches[1]) == set(waiting)
    assert first.ids == [1]
    assert {tuple(a.ids) for a in waiting} == {(2,)}
    assert group.queued == 0


def test_every_member_hears_an_error_the_writer_did_not_handle() -> None:
    writer = HeldWriter()
    group = GroupCommit(writer)
    threads = [_submit_in_thread(group, Append([], None))]
    assert writer.writing.wait(TIMEOUT_S)
    broken = [Append([], None) for _ in range(3)]

    def fail(batch: list[Append]) -> None:
        raise RuntimeError("the writer broke")

    threads += [_submit_in_thread(group, append) for append in broken]
    _wait_for(lambda: group.queued == len(broken))
    group._write_batch = fail  # the next batch fails without setting outcomes
    writer.release.set()
    for thread in threads:
        thread.join(TIMEOUT_S)

    assert all(isinstance(a.outcome, RuntimeError) for a in broken)
    later = Append([], None)
    group._write_batch = lambda batch: setattr(batch[0], "outcome", "stored")
    group.submit(later)  # the group is free again
    assert later.outcome == "stored"
