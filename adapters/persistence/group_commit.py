"""Group commit: appends of concurrent commands share one transaction and one writer-lock hold.

Appends are serialised by the writer lock (commit order = id order), and each holds it for three
round trips and a durable commit, so under concurrency commands queue for it. Here a caller that
finds no append in progress leads: it writes every append queued so far, its own included, as one
transaction (one multi-row INSERT), then wakes the others with their outcome. Appends arriving
meanwhile queue; the first of them leads the next batch. Nobody waits for a timer: a lone append
is written at once, as before.

The batch writer gives every member one outcome: stored (with its ids), "alone" (the batch failed
before its commit, so nothing of it was stored: append again on your own, which gives each member
exactly the outcome it would have had without grouping), or an error (the commit itself failed:
the outcome is unknown, as it would be for a single append).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from application.idempotency import IdempotencyClaim

Outcome = Literal["stored", "alone"] | BaseException


@dataclass(eq=False)
class Append:
    events: Sequence[StoredEvent]
    claim: IdempotencyClaim | None
    requires: Mapping[UUID, int] = field(default_factory=dict)  # read aggregate -> its version
    ids: list[int] = field(default_factory=list)
    outcome: Outcome | None = None  # None: not written yet
    woken: threading.Event = field(default_factory=threading.Event, repr=False)


class GroupCommit:
    def __init__(self, write_batch: Callable[[list[Append]], None]) -> None:
        self._write_batch = write_batch  # must set every member's outcome
        self._mutex = threading.Lock()
        self._queue: list[Append] = []
        self._leading = False

    @property
    def queued(self) -> int:
        """How many appends wait for the next batch."""
        with self._mutex:
            return len(self._queue)

    def submit(self, append: Append) -> None:
        """Return once ``append.outcome`` is set, by this thread or by another's batch."""
        with self._mutex:
            self._queue.append(append)
            follow = self._leading
            self._leading = True
        if follow:
            append.woken.wait()
            if append.outcome is not None:
                return
        self._lead()  # we lead: first in line, or woken as the next leader

    def _lead(self) -> None:
        with self._mutex:
            batch, self._queue = self._queue, []
        try:
            self._write_batch(batch)
        except BaseException as error:  # noqa: BLE001 - the writer sets outcomes; a last resort
            for member in batch:
                if member.outcome is None:
                    member.outcome = error
        finally:
            with self._mutex:
                successor = self._queue[0] if self._queue else None
                self._leading = successor is not None
            for member in batch:
                member.woken.set()
            if successor is not None:
                successor.woken.set()  # no outcome yet: it leads the next batch
