"""``make bench``: every benchmark, each on its own scratch MariaDB database, in one run.

    python -m ops.bench [NAME ...]        (names: event_store ledger read_side http imports)

Figures print as ``name: value unit (ratio x)``; ratios are against baselines measured in the same
run, since absolute numbers on a shared 2-core machine are noise. The lines are also written to
``bench-results/<UTC time>.txt``. The server comes from FINTRACK_BENCH_MARIADB_URL
(default ``mariadb+pymysql://root@127.0.0.1:3306/``).

The run raises MariaDB's buffer pool to the README's sizing (``ops.bench.mariadb``).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from ops.bench.mariadb import BUFFER_POOL_MIB, SERVER, buffer_pool, scratch_database

BENCHMARKS = ("event_store", "ledger", "read_side", "http", "imports")


def main(names: list[str]) -> int:
    unknown = set(names) - set(BENCHMARKS)
    if unknown:
        print(f"unknown benchmark(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    with buffer_pool(sa.make_url(SERVER), BUFFER_POOL_MIB) as setting:
        lines = [f"# {setting}"]
        print(lines[0], flush=True)
        _run(names, lines)
    out = Path("bench-results") / f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines) + "\n")
    print(f"# written to {out}")
    return 0


def _run(names: list[str], lines: list[str]) -> None:
    for name in names or BENCHMARKS:
        module = f"ops.bench.{name}"
        if importlib.util.find_spec(module) is None:
            lines.append(f"# {name}: not available")
            continue
        print(f"# {name}", flush=True)
        with scratch_database() as url:
            lines += [f"# {name}", *importlib.import_module(module).run(url)]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
