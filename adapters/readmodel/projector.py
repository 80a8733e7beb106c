"""The projector: follows the event log a page at a time and applies it to every writer's tables.

Per page: read each writer's tracking position, fetch the notifications after the lowest one and
decode them once; then each writer, in its OWN write transaction, locks its tracking row (``FOR
UPDATE`` on MariaDB; SQLite's ``BEGIN IMMEDIATE`` holds the file), checks nobody moved it meanwhile
(a replay's swap or a second projector), folds the events past its position and records its new
position. A writer's rows and position commit together: a crash before the commit re-applies the
page from its old position, after it the page is never applied to that writer again.

A writer's first page has no tracking row to lock, and on MariaDB a locking read or an UPDATE of a
missing row takes a gap lock: two first pages (two writers, or two projector processes) would then
deadlock on their INSERTs. So a first page takes no lock and records its position with a plain
INSERT; the tracking row's primary key is its guard instead, and a duplicate key (somebody else's
first page committed meanwhile) rolls the page back to be retried.

Writers own disjoint tables and read only their own, so on MariaDB they run concurrently on their
own connections, and the next page is fetched and decoded meanwhile: the GIL-bound folds overlap
the database's work instead of waiting for it. SQLite admits one writer per file: sequential.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from uuid import UUID

import sqlalchemy as sa
from eventsourcing.persistence import ApplicationRecorder, IntegrityError, Mapper, Tracking
from sqlalchemy.engine import Connection, Engine

from adapters.persistence.tables import tracking
from adapters.persistence.tracking_recorder import record_first_tracking, record_tracking
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


# Shared by every projector of the process (the live one, a replay's): jobs never wait on jobs.
_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="projector")


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
        self._concurrent = engine.dialect.name != "sqlite"
        self._prefetched: tuple[tuple[int, int | None], Future[list[Envelope]]] | None = None

    def positions(self) -> dict[str, int]:
        with reading(self.engine) as conn:
            return read_positions(conn, self.names)

    def run_page(self, stop: int | None = None) -> PageResult:
        seen = self.positions()
        start = min(seen.values(), default=0)
        if stop is not None and start >= stop:
            return PageResult(0, start)
        page = self._page_after(start, stop)
        if not page:
            return PageResult(0, start)
        last = page[-1].position
        jobs = [
            (writer, name, seen[name])
            for writer, name in zip(self.writers, self.names, strict=True)
            if seen[name] < last
        ]
        if self._concurrent:
            self._prefetch(last, stop)
            futures = [_pool.submit(self._apply, *job, page) for job in jobs]
            applied = [f.result() for f in futures]
        else:
            applied = [self._apply(*job, page) for job in jobs]
        if not all(applied):
            self._prefetched = None
            return PageResult(0, start, retried=True)
        return PageResult(len(page), last)

    def _apply(
        self, writer: ProjectionWriter, name: str, seen: int, page: Sequence[Envelope]
    ) -> bool:
        """Apply the events past ``seen`` to one writer with its new position; False (nothing
        applied) if its position moved since it was read."""
        try:
            with writing(self.engine) as conn:
                if read_positions(conn, [name], lock=seen > 0)[name] != seen:
                    return False  # exiting without error commits nothing
                writer.apply(conn, [e for e in page if e.position > seen], self.tables)
                record = record_tracking if seen else record_first_tracking
                record(conn, Tracking(name, page[-1].position))
        except IntegrityError:
            if seen or not self.positions()[name]:
                raise  # not a first page that another projector's first page beat
            return False
        return True

    def _page_after(self, start: int, stop: int | None) -> list[Envelope]:
        prefetched, self._prefetched = self._prefetched, None
        if prefetched is not None and prefetched[0] == (start, stop):
            page = prefetched[1].result()
            if page:  # empty: it may predate events appended since, so look again
                return page
        return self._fetch(start, stop)

    def _prefetch(self, start: int, stop: int | None) -> None:
        if stop is None or start < stop:
            self._prefetched = ((start, stop), _pool.submit(self._fetch, start, stop))

    def _fetch(self, start: int, stop: int | None) -> list[Envelope]:
        notifications = self.recorder.select_notifications(
            start, self.page_size, stop=stop, inclusive_of_start=False
        )
        return [Envelope(n.id, self.mapper.to_domain_event(n)) for n in notifications]

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
