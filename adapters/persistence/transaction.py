"""Read and write transactions, with writers serialised so that commit order equals id order.

Auto-increment ids are taken at INSERT time but become visible at COMMIT. If two appenders could
interleave, a reader tailing ``id > last_seen`` would move past an id still uncommitted and skip
it forever (stack-facts 0.3). So every append first locks the one ``writer_lock`` row
(MariaDB: an UPDATE that changes nothing, an exclusive row lock held until commit like
``SELECT … FOR UPDATE``, but answered with a row count, not a result set to parse) or opens with
``BEGIN IMMEDIATE`` (SQLite, which admits one writer per file). Plain reads take no lock: they are
consistent snapshots.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from pathlib import Path

import sqlalchemy as sa
from eventsourcing.persistence import OperationalError
from sqlalchemy.engine import Connection, Engine

from adapters.persistence.engine import WRITE_OPTION, mark_clean
from adapters.persistence.errors import translated_errors
from adapters.persistence.tables import writer_lock

# The connection of the command running in this context, if any (see ``command_scope``).
_scoped: ContextVar[Connection | None] = ContextVar("fintrack_command_connection", default=None)
_LOCK_WRITERS = sa.update(writer_lock).where(writer_lock.c.id == 1).values(id=writer_lock.c.id)
_lock_sql: dict[str, str] = {}  # dialect name -> _LOCK_WRITERS compiled
_sqlite_file_locks: dict[str, threading.Lock] = {}
_sqlite_file_locks_guard = threading.Lock()


@contextmanager
def command_scope(engine: Engine) -> Iterator[None]:
    """Run one command (its loads and its append) on one pooled connection and, on MariaDB, in
    one transaction: a checkout, a ping and a pool reset per command instead of one per statement
    group. Correct under concurrency: the append still locks the writer row and a stale read
    still fails on the (originator_id, version) key, so the command runner retries it.
    SQLite keeps a connection per step: its writers queue on a file lock instead."""
    if engine.dialect.name == "sqlite" or _scoped.get() is not None:
        yield
        return
    with translated_errors(), engine.connect() as conn:
        token = _scoped.set(conn)
        try:
            yield
        finally:
            _scoped.reset(token)


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    if (scoped := _scoped.get()) is not None and scoped.engine is engine:
        with translated_errors():
            yield scoped
        return
    with translated_errors(), engine.connect() as conn:
        yield conn


@contextmanager
def writing(engine: Engine, *, ordered: bool = False) -> Iterator[Connection]:
    """One write transaction, committed on exit. ``ordered``: it appends to the event log."""
    if (scoped := _scoped.get()) is not None and scoped.engine is engine:
        with translated_errors(), _joined(scoped):
            if ordered:
                _lock_writers(scoped)
            yield scoped
        return
    with _process_lock(engine), translated_errors(), engine.connect() as conn:
        conn.execution_options(**{WRITE_OPTION: True})
        with conn.begin():
            if ordered and engine.dialect.name != "sqlite":
                _lock_writers(conn)
            yield conn
        mark_clean(conn)


@contextmanager
def _joined(conn: Connection) -> Iterator[None]:
    """The scoped transaction (begun by the command's reads, or now): committed on success."""
    if not conn.in_transaction():
        conn.begin()
    try:
        yield
    except BaseException:
        conn.rollback()
        raise
    conn.commit()
    mark_clean(conn)


def _lock_writers(conn: Connection) -> None:
    # Prebuilt SQL by exec_driver_sql: one statement per command, no compile-cache lookup each time.
    sql = _lock_sql.get(conn.dialect.name)
    if sql is None:
        options = {"literal_binds": True}
        sql = _lock_sql[conn.dialect.name] = str(
            _LOCK_WRITERS.compile(dialect=conn.dialect, compile_kwargs=options)
        )
    if conn.exec_driver_sql(sql).rowcount != 1:  # rows matched, changed or not
        # Locking a missing row takes only a gap lock, which serialises nothing.
        raise OperationalError("writer_lock has no row 1: run `fintrack migrate`")


def _process_lock(engine: Engine) -> AbstractContextManager[object]:
    """SQLite: writers of this process queue on one lock per file rather than busy-wait."""
    if engine.dialect.name != "sqlite":
        return nullcontext()
    key = str(Path(engine.url.database or ":memory:").resolve())
    with _sqlite_file_locks_guard:
        return _sqlite_file_locks.setdefault(key, threading.Lock())
