"""An aggregate's latest state, usually in one round trip: its newest snapshot and the events
after it.

The repository would ask twice (the snapshot, then the events after its version); on MariaDB each
question is a round trip, and a command loads at least one aggregate. One prebuilt statement, run
by ``exec_driver_sql`` (no compile-cache lookup or parameter processing per call, as in
``append.py``), asks for the newest snapshot and the newest ``RECENT`` events together.

Both halves are plain index range reads on purpose: the same question with the snapshot's version
as a subquery in the events' condition costs MariaDB ~0.4 ms to *plan* on every execution (the
text protocol has no plan cache), more than three times the whole simple statement. Snapshots
come every 100 versions, so the recent events reach back to the snapshot; when they don't (no
snapshot yet of a long aggregate, one lost between commit and snapshot, a longer interval), a
second statement reads the gap.
"""

from __future__ import annotations

from uuid import UUID

import sqlalchemy as sa
from eventsourcing.persistence import StoredEvent
from sqlalchemy.engine import Connection, Dialect

RECENT = 128  # events read with the snapshot; above the snapshotting interval (100)


class LatestStateSelect:
    def __init__(self, dialect: Dialect, events: sa.Table, snapshots: sa.Table) -> None:
        q = dialect.identifier_preparer.quote
        p = "?" if dialect.paramstyle == "qmark" else "%s"
        oid, version = q("originator_id"), q("originator_version")
        columns = f"{version}, {q('topic')}, {q('state')}"
        newest = f"WHERE {oid} = {p} ORDER BY {version} DESC LIMIT"
        snapshot = f"SELECT 1, {columns} FROM {q(snapshots.name)} {newest} 1"
        recent = f"SELECT 0, {columns} FROM {q(events.name)} {newest} {RECENT}"
        # SQLite has no parenthesised members of a UNION; MariaDB plans derived tables slowly.
        if dialect.name == "sqlite":
            self._sql = f"SELECT * FROM ({snapshot}) UNION ALL SELECT * FROM ({recent})"
        else:
            self._sql = f"({snapshot}) UNION ALL ({recent})"
        self._gap_sql = (
            f"SELECT {columns} FROM {q(events.name)} "
            f"WHERE {oid} = {p} AND {version} > {p} AND {version} < {p} ORDER BY {version}"
        )

    def __call__(
        self, conn: Connection, originator_id: UUID
    ) -> tuple[StoredEvent | None, list[StoredEvent]]:
        key = originator_id.bytes
        snapshot: StoredEvent | None = None
        recent: list[StoredEvent] = []
        for is_snapshot, v, t, s in conn.exec_driver_sql(self._sql, (key, key)):
            stored = StoredEvent(originator_id, v, t, s)
            if is_snapshot:
                snapshot = stored
            else:
                recent.append(stored)
        recent.reverse()  # oldest first
        since = snapshot.originator_version if snapshot is not None else 0
        if len(recent) == RECENT and recent[0].originator_version > since + 1:
            gap = conn.exec_driver_sql(self._gap_sql, (key, since, recent[0].originator_version))
            recent[:0] = [StoredEvent(originator_id, v, t, s) for v, t, s in gap]
        return snapshot, [e for e in recent if e.originator_version > since]
