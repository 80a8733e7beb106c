"""The MariaDB server a benchmark measures, sized as the README asks of a real one.

MariaDB's default 128 MiB buffer pool holds the read model of only ~30k transactions: past that,
every projected page dirties leaves of a blind index read back from disk, and the projector of
the transactions list runs ~3x slower (1,261 vs 3,687 events/s measured at 200k). The run raises
``innodb_buffer_pool_size`` to FINTRACK_BENCH_BUFFER_POOL_MIB (default 4096; 0 leaves it) as
the README's sizing advice asks of a real server, says so in its figures, and restores it after.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

SERVER = os.environ.get("FINTRACK_BENCH_MARIADB_URL", "mariadb+pymysql://root@127.0.0.1:3306/")
BUFFER_POOL_MIB = int(os.environ.get("FINTRACK_BENCH_BUFFER_POOL_MIB", "4096"))


@contextmanager
def buffer_pool(server: sa.URL, mib: int) -> Iterator[str]:
    """The server's InnoDB buffer pool at ``mib`` MiB or more for the run (restored after);
    yields the line that says what the run measured with."""
    if server.get_backend_name() not in ("mariadb", "mysql"):
        yield f"database: {server.get_backend_name()} (no buffer pool to size)"
        return
    engine = sa.create_engine(server)
    try:
        with engine.connect() as conn:
            before = int(conn.scalar(sa.text("SELECT @@innodb_buffer_pool_size")) or 0)
        wanted, raised = mib * 2**20, False
        line = f"MariaDB innodb_buffer_pool_size: {before // 2**20} MiB"
        if mib <= 0 or before >= wanted:
            line += " (left as it was)"
        else:
            try:
                _resize(engine, wanted)
            except sa.exc.DBAPIError as error:  # no SUPER privilege, say: measure as it is
                line += (
                    f" (could not raise it: {error.orig}); the projector figures are those of an"
                    " undersized server"
                )
            else:
                raised = True
                line = (
                    f"MariaDB innodb_buffer_pool_size: {wanted // 2**20} MiB for this run "
                    f"(raised from {before // 2**20} MiB, restored after; see the README's sizing)"
                )
        try:
            yield line
        finally:
            if raised:
                _resize(engine, before)
    finally:
        engine.dispose()


def _resize(engine: sa.Engine, size: int) -> None:
    """Resize and wait until done: MariaDB resizes in the background, a chunk at a time."""
    with engine.connect() as conn:
        conn.execute(sa.text(f"SET GLOBAL innodb_buffer_pool_size = {int(size)}"))
        for _ in range(600):
            status = conn.execute(
                sa.text("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_resize_status'")
            ).first()
            text = "" if status is None else str(status[1])
            if not text or text.lower().startswith("completed"):
                return
            time.sleep(0.1)


@contextmanager
def scratch_database() -> Iterator[sa.URL]:
    server = sa.make_url(SERVER)
    url = server.set(database=f"fintrack_bench_{uuid.uuid4().hex[:8]}")
    _execute(server, f"CREATE DATABASE `{url.database}` CHARACTER SET utf8mb4")
    try:
        yield url
    finally:
        _execute(server, f"DROP DATABASE IF EXISTS `{url.database}`")


def _execute(server: sa.URL, statement: str) -> None:
    engine = sa.create_engine(server)
    with engine.begin() as conn:
        conn.execute(sa.text(statement))
    engine.dispose()
