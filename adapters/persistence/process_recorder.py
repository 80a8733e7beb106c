"""A process recorder: an application log that also records tracking positions (both atomic)."""

from __future__ import annotations

from eventsourcing.persistence import ProcessRecorder
from sqlalchemy.engine import Engine

from adapters.persistence.application_recorder import SqlApplicationRecorder
from adapters.persistence.tracking_recorder import SqlTrackingRecorder


class SqlProcessRecorder(SqlTrackingRecorder, SqlApplicationRecorder, ProcessRecorder):
    def __init__(self, engine: Engine, *, poll_interval: float = 0.2) -> None:
        SqlApplicationRecorder.__init__(self, engine, poll_interval=poll_interval)
        SqlTrackingRecorder.__init__(self, engine)

    def _after_commit(self, *, appended: bool, tracked: bool) -> None:
        super()._after_commit(appended=appended, tracked=tracked)
        if tracked:
            self._tracked.notify()
