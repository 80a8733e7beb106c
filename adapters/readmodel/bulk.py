"""Multi-row INSERTs without per-value driver work, for the many rows of one page.

Values must already be in their stored form (UUIDs as 16 bytes, booleans as 0/1). On SQLite,
``executemany`` of one prepared statement. On MariaDB, pymysql's ``executemany`` escapes every
value in Python (most of a page's CPU time), so the statement is written here instead: bytes as hex
literals, numbers as digits, dates quoted ISO strings, text through the driver's own escaping;
statements are cut at ``MAX_STATEMENT_BYTES``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

MAX_STATEMENT_BYTES = 4 * 1024 * 1024  # below MariaDB's default max_allowed_packet (16 MiB)


def insert_rows(
    conn: Connection, table: sa.Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    if not rows:
        return
    quote = conn.dialect.identifier_preparer.quote
    head = f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) VALUES "
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(head + f"({', '.join('?' for _ in columns)})", list(rows))
        return
    escape = conn.connection.dbapi_connection.escape  # type: ignore[union-attr] # pymysql's, quotes too
    chunk: list[str] = []
    size = 0
    for row in rows:
        text = "(" + ",".join(_literal(value, escape) for value in row) + ")"
        chunk.append(text)
        size += len(text) + 1
        if size >= MAX_STATEMENT_BYTES:
            conn.exec_driver_sql(head + ",".join(chunk))
            chunk, size = [], 0
    if chunk:
        conn.exec_driver_sql(head + ",".join(chunk))


def _bytes(value: bytes) -> str:
    return f"X'{value.hex()}'" if value else "''"


def _date(value: date) -> str:
    return f"'{value.isoformat()}'"


def _datetime(value: datetime) -> str:
    return f"'{value.isoformat(sep=' ')}'"


_BY_TYPE: dict[type, Callable[[Any], str]] = {
    bytes: _bytes,
    int: str,
    bool: lambda value: "1" if value else "0",
    date: _date,
    datetime: _datetime,
    type(None): lambda _value: "NULL",
}


def _literal(value: Any, escape: Callable[[str], str]) -> str:
    render = _BY_TYPE.get(type(value))
    if render is not None:
        return render(value)
    if isinstance(value, str):
        return str(escape(value))
    if isinstance(value, (bytearray, memoryview)):
        return _bytes(bytes(value))
    raise TypeError(f"no SQL literal for {type(value).__name__}")
