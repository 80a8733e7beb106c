"""Tracking: per upstream application, the highest notification id processed (one row each).

A tracking position only moves forward: recording an id at or below the current one raises
``IntegrityError`` (the event was already processed), as eventsourcing's contract requires.
Views (materialised projections) subclass ``SqlTrackingRecorder`` and write their rows and the
tracking position in one ``self.transaction()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from threading import Event
from time import monotonic

import sqlalchemy as sa
from eventsourcing.persistence import Tracking, TrackingRecorder, WaitInterruptedError
from sqlalchemy.engine import Connection, Engine

from adapters.persistence.signal import CommitSignal
from adapters.persistence.tables import tracking as tracking_table
from adapters.persistence.transaction import reading, writing

_t = tracking_table.c
_ADVANCE = (
    tracking_table.update()
    .where(_t.application_name == sa.bindparam("a"), _t.notification_id < sa.bindparam("n"))
    .values(notification_id=sa.bindparam("n"))
)
_FIRST = tracking_table.insert().values(
    application_name=sa.bindparam("a"), notification_id=sa.bindparam("n")
)
_MAX = sa.select(_t.notification_id).where(_t.application_name == sa.bindparam("a"))


def record_tracking(conn: Connection, tracking: Tracking) -> None:
    params = {"a": tracking.application_name, "n": tracking.notification_id}
    if conn.execute(_ADVANCE, params).rowcount == 0:
        conn.execute(_FIRST, params)  # a duplicate key here means "already processed"


def record_first_tracking(conn: Connection, tracking: Tracking) -> None:
    """The first position of a name that has none: one INSERT (a duplicate key: somebody else
    recorded one meanwhile). Not ``record_tracking``: on MariaDB its UPDATE of the missing row
    takes a gap lock, and two first positions recorded at once deadlock on each other's."""
    conn.execute(_FIRST, {"a": tracking.application_name, "n": tracking.notification_id})


class SqlTrackingRecorder(TrackingRecorder):
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._tracked = CommitSignal()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A write transaction for a view's rows plus ``record_tracking(conn, tracking)``."""
        with writing(self.engine) as conn:
            yield conn
        self._tracked.notify()

    def insert_tracking(self, tracking: Tracking) -> None:
        with self.transaction() as conn:
            record_tracking(conn, tracking)

    def max_tracking_id(self, application_name: str) -> int | None:
        with reading(self.engine) as conn:
            found: int | None = conn.execute(_MAX, {"a": application_name}).scalar()
            return found

    def wait(
        self,
        application_name: str,
        notification_id: int | None,
        timeout: float = 1.0,
        interrupt: Event | None = None,
    ) -> None:
        """Like the library's, but woken by commits in this process; polls for other processes."""
        deadline = monotonic() + timeout
        poll = 0.01
        while True:
            seen = self._tracked.generation
            if self.has_tracking_id(application_name, notification_id):
                return
            if interrupt is not None and interrupt.is_set():
                raise WaitInterruptedError
            remaining = deadline - monotonic()
            if remaining <= 0:
                raise TimeoutError(
                    f"timed out waiting for {application_name!r} to process {notification_id}"
                )
            self._tracked.wait(seen, min(poll, remaining))
            poll = min(poll * 2, 0.2)
