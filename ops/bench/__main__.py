"""``make bench``: every benchmark, each on its own scratch MariaDB database, in one run.

    python -m ops.bench [NAME ...]        (names: event_store ledger read_side http imports)

Figures print as ``name: value unit (ratio x)``; ratios are against baselines measured in the same
run, since absolute numbers on a shared 2-core machine are noise. The lines are also written to
``bench-results/<UTC time>.txt``. The server comes from FINTRACK_BENCH_MARIADB_URL
(default ``mariadb+pymysql://root@127.0.0.1:3306/``).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

BENCHMARKS = ("event_store", "ledger", "read_side", "http", "imports")
SERVER = os.environ.get("FINTRACK_BENCH_MARIADB_URL", "mariadb+pymysql://root@127.0.0.1:3306/")


def main(names: list[str]) -> int:
    unknown = set(names) - set(BENCHMARKS)
    if unknown:
        print(f"unknown benchmark(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    lines: list[str] = []
    for name in names or BENCHMARKS:
        module = f"ops.bench.{name}"
        if importlib.util.find_spec(module) is None:
            lines.append(f"# {name}: not available")
            continue
        print(f"# {name}", flush=True)
        with scratch_database() as url:
            lines += [f"# {name}", *importlib.import_module(module).run(url)]
    out = Path("bench-results") / f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines) + "\n")
    print(f"# written to {out}")
    return 0


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


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
