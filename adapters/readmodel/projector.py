"""The projector: follows the event log a page at a time and applies it to every writer's tables.

Per page: read each writer's tracking position, fetch the notifications after the lowest one,
decode them, then in ONE write transaction lock those tracking rows (``FOR UPDATE`` on MariaDB;
SQLite's ``BEGIN IMMEDIATE`` holds the file), check nobody moved them meanwhile (a replay's swap
or a second projector), let each writer fold the events past its own position and record its new
position. Rows and positions commit together: a crash before the commit re-applies the page from
the old positions, after it the page is never applied again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from uuid import UUID

import sqlalchemy as sa
from eventsourcing.persistence import ApplicationRecorder, Mapper, Tracking
from sqlalchemy.engine import Connection, Engine

from adapters.persistence.tables import tracking
from adapters.persistence.tracking_recorder import record_tracking
from adapters.persistence.transaction import reading, writing
from adapters.readmodel.table_sets import LiveTables
from adapters.readmodel.writer import ProjectionWriter, TableSet
from projections.envelope import Envelope

PAGE_SIZE = 1000
TRACKING_PREFIX = "projection:"
_t = tracking.c


def tracking_name(projection: str, suffix: str = "") -> str:
    return f"{TRACKING_PREFIX}{projection}{suffix}"


def read_positions(conn: Connection, names: Sequence[str], *, lock: bool = False) -> dict[str, int]:
    query = sa.select(_t.application_name, _t.notification_id).where(_t.application_name.in_(names))
    if lock and conn.dialect.name != "sqlite":
        query = query.with_for_update()
    found = dict(conn.execute(query).tuples().all())
    return {name: int(found.get(name, 0)) for name in names}


def set_position(conn: Connection, name: str, position: int) -> None:
    """Overwrite a tracking position: a swap may move it back (record_tracking only advances)."""
    conn.execute(sa.delete(tracking).where(_t.application_name == name))
    if position:
        conn.execute(sa.insert(tracking).values(application_name=name, notification_id=position))


@dataclass(frozen=True, slots=True)
class PageResult:
    events: int  # events in the page (0: caught up)
    position: int  # the last position applied (or the lowest writer position when caught up)
    retried: bool = False  # positions moved under us: nothing applied, fetch again


class Projector:
    def __init__(
        self,
        engine: Engine,
        recorder: ApplicationRecorder,
        mapper: Mapper[UUID],
        writers: Sequence[ProjectionWriter],
        *,
        page_size: int = PAGE_SIZE,
        tables: TableSet | None = None,
        tracking_suffix: str = "",
    ) -> None:
        self.engine = engine
        self.recorder = recorder
        self.mapper = mapper
        self.writers = list(writers)
        self.page_size = page_size
        self.tables: TableSet = tables or LiveTables()
        self.names = [tracking_name(w.name, tracking_suffix) for w in self.writers]

    def positions(self) -> dict[str, int]:
        with reading(self.engine) as conn:
            return read_positions(conn, self.names)

    def run_page(self, stop: int | None = None) -> PageResult:
        seen = self.positions()
        start = min(seen.values(), default=0)
        if stop is not None and start >= stop:
            return PageResult(0, start)
        notifications = self.recorder.select_notifications(
            start, self.page_size, stop=stop, inclusive_of_start=False
        )
        if not notifications:
            return PageResult(0, start)
        page = [Envelope(n.id, self.mapper.to_domain_event(n)) for n in notifications]
        last = page[-1].position
        with writing(self.engine) as conn:
            if read_positions(conn, self.names, lock=True) != seen:
                return PageResult(0, start, retried=True)  # exiting without error commits nothing
            for writer, name in zip(self.writers, self.names, strict=True):
                todo = [e for e in page if e.position > seen[name]]
                if todo:
                    writer.apply(conn, todo, self.tables)
                    record_tracking(conn, Tracking(name, last))
        return PageResult(len(page), last)

    def catch_up(
        self, stop: int | None = None, on_page: Callable[[PageResult], None] | None = None
    ) -> int:
        """Apply pages until the log's end (or ``stop``); return how many events were applied."""
        applied = 0
        while True:
            result = self.run_page(stop)
            if result.retried:
                continue
            if result.events == 0:
                return applied
            applied += result.events
            if on_page is not None:
                on_page(result)
