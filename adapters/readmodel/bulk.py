"""Multi-row INSERTs without per-value driver work, for the many rows of one page.

On SQLite, ``executemany`` of one prepared statement (values in their stored form: UUIDs as 16
bytes, booleans as 0/1). On MariaDB, pymysql's ``executemany`` escapes every value in Python (most
of a page's CPU time), so the statement is written here instead: bytes and UUIDs as hex literals,
numbers as digits, dates quoted ISO strings, text through the driver's own escaping; statements
are cut at ``MAX_STATEMENT_BYTES``. ``on_duplicate`` appends MariaDB's ``ON DUPLICATE KEY
UPDATE`` clause.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Connection

# Small enough that a statement's transient copies (the rows' literals, the joined text, pymysql's
# formatted and encoded copies: about six) stay a few MiB: at 4 MiB, a page's blind-index INSERT
# (~1.3 MB) was the largest part of the projector's peak memory (per-page peak median 12.8 ->
# 9.9 MiB at 256 KiB, measured over 200 pages), at no measured cost in events/s.
MAX_STATEMENT_BYTES = 256 * 1024
Escape = Callable[[str], str]


def insert_rows(
    conn: Connection,
    table: sa.Table,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    *,
    on_duplicate: str = "",
) -> None:
    if not rows:
        return
    quote = conn.dialect.identifier_preparer.quote
    head = f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) VALUES "
    if conn.dialect.name == "sqlite":
        if on_duplicate:
            raise ValueError("on_duplicate is MariaDB's clause")
        values = [tuple(_stored(v) for v in row) for row in rows]
        conn.exec_driver_sql(head + f"({', '.join('?' for _ in columns)})", values)
        return
    escape = conn.connection.dbapi_connection.escape  # type: ignore[union-attr] # pymysql's, quotes too
    tail = f" ON DUPLICATE KEY UPDATE {on_duplicate}" if on_duplicate else ""
    chunk: list[str] = []
    size = 0
    for row in rows:
        # Bytes (ids, sealed text, blind-index terms) are most of the values: rendered inline,
        # not looked up in ``_BY_TYPE`` (a page writes ~10 such values per event).
        literals = [f"X'{v.hex()}'" if type(v) is bytes and v else _literal(v, escape) for v in row]
        text = f"({','.join(literals)})"
        chunk.append(text)
        size += len(text) + 1
        if size >= MAX_STATEMENT_BYTES:
            _execute(conn, head + ",".join(chunk) + tail)
            chunk, size = [], 0
    if chunk:
        _execute(conn, head + ",".join(chunk) + tail)


def _execute(conn: Connection, statement: str) -> None:
    # pymysql applies ``statement % parameters`` even to an empty set of parameters: a ``%`` in
    # the text (a payee "100% Bio") must reach it doubled, or it is misread as a placeholder.
    conn.exec_driver_sql(statement.replace("%", "%%"))


def _stored(value: Any) -> Any:
    return value.bytes if isinstance(value, UUID) else value


def _bytes(value: bytes) -> str:
    return f"X'{value.hex()}'" if value else "''"


def _date(value: date) -> str:
    return f"'{value.isoformat()}'"


def _datetime(value: datetime) -> str:
    return f"'{value.isoformat(sep=' ')}'"


_BY_TYPE: dict[type, Callable[[Any], str]] = {
    bytes: _bytes,
    UUID: lambda value: f"X'{value.hex}'",
    int: str,
    bool: lambda value: "1" if value else "0",
    date: _date,
    datetime: _datetime,
    type(None): lambda _value: "NULL",
}


def _literal(value: Any, escape: Escape) -> str:
    render = _BY_TYPE.get(type(value))
    if render is not None:
        return render(value)
    if isinstance(value, str):  # a str enum stores its value (its str() may be its name)
        return str(escape(value.value if isinstance(value, Enum) else value))
    if isinstance(value, (bytearray, memoryview)):
        return _bytes(bytes(value))
    raise TypeError(f"no SQL literal for {type(value).__name__}")
