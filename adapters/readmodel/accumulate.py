"""Set-based writes shared by the report writers: add-to upserts, replacing upserts, purges.

One statement per call, whatever the number of rows: on MariaDB multi-row ``INSERT … ON DUPLICATE
KEY UPDATE`` statements written by ``bulk.insert_rows``; on SQLite an ``executemany`` of ``INSERT …
ON CONFLICT``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Connection

from adapters.readmodel.bulk import insert_rows

Row = Mapping[str, Any]
_CHUNK = 500  # ids per IN list


def add_to(conn: Connection, table: sa.Table, rows: Sequence[Row], added: Sequence[str]) -> None:
    """Insert ``rows``; where the key exists already, add the ``added`` columns to it."""
    if not rows:
        return
    if conn.dialect.name == "sqlite":
        conn.execute(_sqlite_upsert(table, added, lambda col, new: table.c[col] + new), rows)
        return
    quote = conn.dialect.identifier_preparer.quote
    adding = ", ".join(f"{q} = {q} + VALUES({q})" for q in map(quote, added))
    _insert_rows(conn, table, rows, adding)


def replace_rows(conn: Connection, table: sa.Table, rows: Sequence[Row]) -> None:
    """Insert ``rows``, overwriting every non-key column of rows whose key exists."""
    if not rows:
        return
    keys = {c.name for c in table.primary_key.columns}
    columns = [c for c in rows[0] if c not in keys]
    if conn.dialect.name == "sqlite":
        conn.execute(_sqlite_upsert(table, columns, lambda _col, new: new), rows)
        return
    quote = conn.dialect.identifier_preparer.quote
    _insert_rows(conn, table, rows, ", ".join(f"{q} = VALUES({q})" for q in map(quote, columns)))


def delete_owners(conn: Connection, tables: Iterable[sa.Table], owners: Collection[UUID]) -> None:
    if owners:
        for table in tables:
            conn.execute(table.delete().where(table.c.owner_id.in_(list(owners))))


def update_by_id(conn: Connection, table: sa.Table, column: str, rows: Sequence[Row]) -> None:
    """Set ``column`` to ``v`` on the row whose ``id`` is ``k``, for each ``{"k": …, "v": …}``."""
    if rows:
        statement = table.update().where(table.c.id == sa.bindparam("k"))
        conn.execute(statement.values({column: sa.bindparam("v")}), rows)


def select_in(
    conn: Connection, query: sa.Select[Any], column: sa.ColumnElement[Any], ids: Collection[Any]
) -> list[sa.Row[Any]]:
    """``query`` restricted to ``column IN ids``, in bounded chunks."""
    ordered = list(ids)
    rows: list[sa.Row[Any]] = []
    for start in range(0, len(ordered), _CHUNK):
        rows.extend(conn.execute(query.where(column.in_(ordered[start : start + _CHUNK]))))
    return rows


def _insert_rows(conn: Connection, table: sa.Table, rows: Sequence[Row], on_duplicate: str) -> None:
    columns = list(rows[0])
    values = [tuple(row[c] for c in columns) for row in rows]
    insert_rows(conn, table, columns, values, on_duplicate=on_duplicate)


def _sqlite_upsert(table: sa.Table, columns: Sequence[str], value: Any) -> Any:
    statement = sqlite.insert(table)
    keys = [c.name for c in table.primary_key.columns]
    return statement.on_conflict_do_update(
        index_elements=keys,
        set_={c: value(c, statement.excluded[c]) for c in columns},
    )
