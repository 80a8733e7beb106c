"""Which appends read an aggregate that has moved since: one query for a whole batch.

An append's requirements map aggregates its command only read to the versions it read them at
(``application.reads``). Run inside the append's transaction after the writer lock: no event can
be appended between this check and the commit. An aggregate's version is its newest event's,
read from the ``(originator_id, originator_version)`` key without touching the rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from adapters.persistence.tables import events

_e = events.c


def moved_since_read(conn: Connection, requirements: Sequence[Mapping[UUID, int]]) -> set[int]:
    """The indexes of the requirements of which some aggregate is no longer at the version read."""
    ids = {id for required in requirements for id in required}
    if not ids:
        return set()
    query = (
        sa.select(_e.originator_id, sa.func.max(_e.originator_version))
        .where(_e.originator_id.in_([id.bytes for id in ids]))
        .group_by(_e.originator_id)
    )
    current = {UUID(bytes=bytes(oid)): version for oid, version in conn.execute(query)}
    return {
        i
        for i, required in enumerate(requirements)
        if any(current.get(id) != version for id, version in required.items())
    }
