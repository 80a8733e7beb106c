"""Which physical table a writer writes: the live one, or its ``__scratch`` copy during a rebuild.

A scratch copy has the live table's columns and indexes. MariaDB scopes index names to their table,
so they are kept; SQLite's are global to the file, so scratch indexes get a fresh suffix (they keep
it after the swap; the next rebuild picks another).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

SCRATCH = "__scratch"
OLD = "__old"


class LiveTables:
    def __getitem__(self, table: sa.Table) -> sa.Table:
        return table


class ScratchTables:
    """Scratch copies of ``tables`` on a private MetaData; other tables map to themselves."""

    def __init__(self, tables: Iterable[sa.Table], dialect_name: str) -> None:
        self.metadata = sa.MetaData()
        suffix = f"__s{secrets.token_hex(4)}" if dialect_name == "sqlite" else ""
        self._copies: dict[str, sa.Table] = {}
        for table in tables:
            copy = table.to_metadata(self.metadata, name=table.name + SCRATCH)
            for index in copy.indexes if suffix else ():
                index.name = sa.sql.elements.quoted_name(f"{index.name}{suffix}", None)
            self._copies[table.name] = copy

    def __getitem__(self, table: sa.Table) -> sa.Table:
        return self._copies.get(table.name, table)

    def live_names(self) -> list[str]:
        return list(self._copies)

    def create(self, conn: Connection) -> None:
        self.drop(conn)
        self.metadata.create_all(conn)

    def drop(self, conn: Connection) -> None:
        for name in self._copies:
            conn.execute(sa.text(f"DROP TABLE IF EXISTS {quote(conn, name + SCRATCH)}"))


def quote(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)
