"""An aggregate's latest state in one round trip: its newest snapshot and the events after it.

The repository would ask twice (the snapshot, then the events after its version); on MariaDB each
question is a round trip, and a command loads at least one aggregate. One prebuilt statement, run
by ``exec_driver_sql`` (no compile-cache lookup or parameter processing per call, as in
``append.py``), answers both: rows (is_snapshot, version, topic, state), the snapshot first.
"""

from __future__ import annotations

from uuid import UUID

import sqlalchemy as sa
from eventsourcing.persistence import StoredEvent
from sqlalchemy.engine import Connection, Dialect


class LatestStateSelect:
    def __init__(self, dialect: Dialect, events: sa.Table, snapshots: sa.Table) -> None:
        q = dialect.identifier_preparer.quote
        p = "?" if dialect.paramstyle == "qmark" else "%s"
        oid, version = q("originator_id"), q("originator_version")
        columns = f"{version}, {q('topic')}, {q('state')}"
        newest = f"(SELECT MAX({version}) FROM {q(snapshots.name)} WHERE {oid} = {p})"
        self._sql = (
            f"SELECT 1, {columns} FROM {q(snapshots.name)} "
            f"WHERE {oid} = {p} AND {version} = {newest} "
            f"UNION ALL SELECT 0, {columns} FROM {q(events.name)} "
            f"WHERE {oid} = {p} AND {version} > COALESCE({newest}, 0) "  # versions start at 1
            "ORDER BY 1 DESC, 2"
        )

    def __call__(
        self, conn: Connection, originator_id: UUID
    ) -> tuple[StoredEvent | None, list[StoredEvent]]:
        key = originator_id.bytes
        rows = conn.exec_driver_sql(self._sql, (key, key, key, key)).all()
        stored = [StoredEvent(originator_id, v, t, s) for _, v, t, s in rows]
        if rows and rows[0][0]:
            return stored[0], stored[1:]
        return None, stored
