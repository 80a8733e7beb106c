"""The synchronous SQLAlchemy engine for the write side, on MariaDB (pymysql) or an SQLite file.

On MariaDB a connection that ran no statement since its checkout, or whose last transaction we
committed, goes back to the pool without the pool's ROLLBACK (a round trip per command, for
nothing: e.g. a command whose append a group-commit leader wrote); any other is rolled back.
"No statement" means none through SQLAlchemy; a write through the raw DBAPI connection still
shows in the server's in-transaction flag, which is checked too. Connections are pinged only
after sitting idle (``idle_ping``).

SQLite allows one writer at a time. Write transactions open with ``BEGIN IMMEDIATE`` (so two
processes never deadlock upgrading a read lock), and writers in this process queue on a lock
per database file instead of spinning in SQLite's busy handler (see ``transaction.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection, PoolResetState

from adapters.persistence.idle_ping import ping_when_idle

BUSY_TIMEOUT_MS = 30_000
WRITE_OPTION = "fintrack_write"  # execution option: this connection's next transaction writes
_CLEAN = "fintrack_clean"  # connection info: checked out or committed by us, no statement since
_SERVER_STATUS_IN_TRANS = 0x0001  # the protocol's status flag: a transaction is open


def create_sync_engine(url: URL | str, *, pool_size: int = 10) -> Engine:
    url = make_url(url)
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url, pool_size)
    if url.get_backend_name() in ("mysql", "mariadb"):
        engine = sa.create_engine(
            url.update_query_dict({"charset": "utf8mb4"}),
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_recycle=3600,  # below MariaDB's wait_timeout (8 h by default)
            pool_reset_on_return=None,  # _rollback_unless_clean instead
        )
        sa.event.listen(engine, "before_cursor_execute", _touched)
        sa.event.listen(engine.pool, "reset", _rollback_unless_clean)
        sa.event.listen(engine.pool, "checkout", _checked_out_clean)
        ping_when_idle(engine.pool, engine.dialect)
        return engine
    raise ValueError(f"unsupported database {url.get_backend_name()!r}")


def mark_clean(conn: Connection) -> None:
    """Call right after ``conn`` committed: it can go back to the pool without a ROLLBACK."""
    conn.info[_CLEAN] = True


def _touched(conn: Connection, *_: object) -> None:
    # Any statement may open a transaction (or a read view) again.
    conn.info.pop(_CLEAN, None)


def _checked_out_clean(
    _dbapi_connection: Any, record: ConnectionPoolEntry, _: PoolProxiedConnection
) -> None:
    record.info[_CLEAN] = True  # no transaction open: the pool reset it on checkin


def _rollback_unless_clean(dbapi_connection: Any, record: Any, state: PoolResetState) -> None:
    # The pool's own rule, plus: a connection idle since checkout or our commit is clean already.
    clean = record.info.pop(_CLEAN, False) and not _in_transaction(dbapi_connection)
    if not (clean or state.transaction_was_reset):
        dbapi_connection.rollback()


def _in_transaction(dbapi_connection: Any) -> bool:
    """The flag the server sent with its last answer (pymysql keeps it)."""
    status = getattr(dbapi_connection, "server_status", None) or 0
    return bool(status & _SERVER_STATUS_IN_TRANS)


def _sqlite_engine(url: URL, pool_size: int) -> Engine:
    if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    sa.event.listen(engine, "connect", _configure_sqlite_connection)
    sa.event.listen(engine, "begin", _begin_sqlite_transaction)
    return engine


def _configure_sqlite_connection(dbapi_connection: Any, _record: object) -> None:
    # Hand transaction control to SQLAlchemy: pysqlite's implicit BEGIN is deferred and
    # skipped for some statements, so we emit BEGIN ourselves in the "begin" event.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def _begin_sqlite_transaction(connection: Connection) -> None:
    writes = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")
