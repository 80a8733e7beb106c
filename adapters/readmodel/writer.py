"""The contract between the projector runtime and each projection's table writer.

A projection is a pure fold in ``projections/`` plus a writer here that owns its query tables. For
every page of the log the runtime opens a database transaction per writer, calls its ``apply`` with
the decoded page, records that writer's tracking position, and commits: rows and position land
together or not at all, so each event applies exactly once and a crash resumes cleanly. A writer
reads and writes only its own tables: writers run concurrently.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from projections.envelope import Envelope


class ProjectionWriter(Protocol):
    name: str  # stable: used for tracking and for ``fintrack replay --projection NAME``

    def tables(self) -> Sequence[sa.Table]:
        """The query tables this writer owns (replay/verify build scratch copies of them)."""

    def apply(self, conn: Connection, page: Sequence[Envelope], tables: TableSet) -> None:
        """Fold ``page`` into the tables, set-based: a bounded number of statements per page,
        never a round trip per event. ``tables`` maps each live table to the one to write (the
        live table itself, or its scratch copy during a replay)."""


class TableSet(Protocol):
    def __getitem__(self, table: sa.Table) -> sa.Table: ...
