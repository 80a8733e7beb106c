"""Which appends read an aggregate that has moved since: one query for a whole batch.

An append's requirements map aggregates its command only read to the versions it read them at
(``application.reads``). Run inside the append's transaction after the writer lock: no event can
be appended between this check and the commit. An aggregate's version is its newest event's,
read from the ``(originator_id, originator_version)`` key without touching the rows. One prebuilt
statement per number of ids, run by ``exec_driver_sql`` as in ``append.py``: compiling the
``IN`` query each time cost more than running it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect


class RequirementCheck:
    def __init__(self, dialect: Dialect, events: sa.Table) -> None:
        q = dialect.identifier_preparer.quote
        self._param = "?" if dialect.paramstyle == "qmark" else "%s"
        oid, version = q("originator_id"), q("originator_version")
        self._head = f"SELECT {oid}, MAX({version}) FROM {q(events.name)} WHERE {oid} IN ("
        self._tail = f") GROUP BY {oid}"

    def moved(self, conn: Connection, requirements: Sequence[Mapping[UUID, int]]) -> set[int]:
        """The indexes of the requirements of which some aggregate is no longer at the version
        read (or was never stored)."""
        ids = list({id for required in requirements for id in required})
        if not ids:
            return set()
        rows = conn.exec_driver_sql(self._statement(len(ids)), tuple(id.bytes for id in ids))
        current = {bytes(oid): version for oid, version in rows}
        return {
            i
            for i, required in enumerate(requirements)
            if any(current.get(id.bytes) != version for id, version in required.items())
        }

    @lru_cache(maxsize=64)  # noqa: B019 - one per recorder, a handful of sizes
    def _statement(self, count: int) -> str:
        return self._head + ", ".join([self._param] * count) + self._tail
