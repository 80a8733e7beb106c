"""Leader election: at most one holder of a named lock at a time, for the scheduler and for each
projection's projector. A holder that dies loses the lock with it, so a standby can take over.

- MariaDB: ``GET_LOCK(name, 0)`` on a dedicated connection. The server frees the lock when that
  connection ends, including when the process is killed. Lock names are server-wide, so the
  database name is part of the name: two installations on one server do not block each other
  (a name past MariaDB's 64 characters is cut and ends in a digest of the whole).
- SQLite/embedded: an exclusive ``flock`` on a file under the var dir; the kernel frees it when the
  holding process exits.

The methods are blocking (one short round trip at most); call them from a thread in async code.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
from pathlib import Path
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

_MAX_LOCK_NAME = 64  # MariaDB's limit for GET_LOCK names


class LeaderLock(Protocol):
    def acquire(self) -> bool:
        """Try once, without waiting. True if this instance now holds (or already held) the lock."""
        ...

    def is_held(self) -> bool:
        """Whether the lock is still ours (False once the database connection is gone)."""
        ...

    def release(self) -> None: ...


class MariaDBLeaderLock:
    def __init__(self, url: URL, name: str) -> None:
        self.name = _server_lock_name(f"{name}@{url.database}")
        self._engine = sa.create_engine(
            url,
            poolclass=NullPool,
            isolation_level="AUTOCOMMIT",
            connect_args={"connect_timeout": 5},
        )
        self._conn: sa.Connection | None = None

    def acquire(self) -> bool:
        if self.is_held():
            return True
        self._drop_connection()
        conn = self._engine.connect()
        try:
            got = conn.scalar(sa.text("SELECT GET_LOCK(:name, 0)"), {"name": self.name})
        except BaseException:
            conn.close()
            raise
        if got != 1:
            conn.close()
            return False
        self._conn = conn
        return True

    def is_held(self) -> bool:
        if self._conn is None:
            return False
        try:
            owner = self._conn.scalar(
                sa.text("SELECT IS_USED_LOCK(:name) = CONNECTION_ID()"), {"name": self.name}
            )
        except sa.exc.DBAPIError:
            self._drop_connection()
            return False
        return bool(owner == 1)

    def release(self) -> None:
        if self._conn is not None:
            # If the connection is gone, the lock went with it.
            with contextlib.suppress(sa.exc.DBAPIError):
                self._conn.execute(sa.text("SELECT RELEASE_LOCK(:name)"), {"name": self.name})
            self._drop_connection()

    def _drop_connection(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                conn.close()
            except sa.exc.DBAPIError:
                conn.invalidate()


def _server_lock_name(name: str) -> str:
    """``name`` within MariaDB's length limit: a longer one keeps its start and gains a digest."""
    if len(name) <= _MAX_LOCK_NAME:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:16]
    return f"{name[: _MAX_LOCK_NAME - len(digest) - 1]}~{digest}"


class FileLeaderLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> bool:
        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            # flock, not lockf: flock conflicts between two opens in one process as well.
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def is_held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing the descriptor drops the flock


def leader_lock(name: str, database_url: URL, var_dir: Path) -> LeaderLock:
    """The lock that fits the database: a MariaDB named lock, else a file lock in ``var_dir``."""
    if database_url.get_backend_name() in ("mysql", "mariadb"):
        return MariaDBLeaderLock(database_url, name)
    return FileLeaderLock(var_dir / f"{name}.lock")
