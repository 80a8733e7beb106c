"""Read-side benchmark: projector catch-up and query latency, on the database given.

    python -m ops.bench.read_side URL [EVENTS [ROWS [USER_ROWS]]]

Point it at a scratch database (MariaDB for the figures that count): it migrates it, appends
``EVENTS`` encrypted events, and bulk-loads ``ROWS`` query-table rows. The full-size run is
``1000000 1000000 200000``; the defaults keep ``make bench`` to a few minutes on 2 cores. Each line
reads ``name: value unit (ratio x)``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import sqlalchemy as sa

from adapters.crypto.key_file import load_or_create_key_file
from adapters.http.auth.passwords import CHEAP_PROFILE
from adapters.persistence.migrate import migrate
from adapters.settings import Settings
from ops.bench import read_side_catch_up as catch_up
from ops.bench import read_side_queries as queries
from ops.bench.mariadb import BUFFER_POOL_MIB, buffer_pool
from ops.bootstrap import Runtime, bootstrap
from ops.heap import freeze_startup_heap

EVENTS = 30_000
ROWS = 200_000
USER_ROWS = 50_000
SAMPLES = 200
P99_LIST_MS = 20.0
P99_REPORT_MS = 50.0


def run(
    url: str | sa.URL,
    *,
    events: int = EVENTS,
    rows: int = ROWS,
    user_rows: int = USER_ROWS,
    samples: int = SAMPLES,
) -> list[str]:
    url = sa.make_url(url)
    with tempfile.TemporaryDirectory() as keys:
        settings = Settings(
            database_url=url.render_as_string(hide_password=False),
            master_key_file=Path(keys) / "master.key",
            secret_key_file=Path(keys) / "secret.key",
            var_dir=Path(keys),
        )
        load_or_create_key_file(settings.master_key_file, create=True)
        load_or_create_key_file(settings.secret_key_file, create=True)
        migrate(settings.sync_url)
        runtime = bootstrap(settings, password_profile=CHEAP_PROFILE)
        try:
            lines = _catch_up(runtime, events) + _queries(runtime, rows, user_rows, samples)
        finally:
            runtime.close()
    for line in lines:
        print(line)
    return lines


def _catch_up(runtime: Runtime, events: int) -> list[str]:
    made = catch_up.generate(runtime, events)
    applied, seconds = catch_up.project(runtime)
    raw, raw_seconds = catch_up.raw_read(runtime)
    rate, raw_rate = applied / seconds, raw / raw_seconds
    catch_up.reset(runtime)
    split_applied, split_seconds = catch_up.project_split(runtime)
    split = split_applied / split_seconds
    groups = " | ".join(", ".join(names) for names in catch_up.SPLIT)
    head = runtime.ledger.recorder.max_notification_id() or 0
    short = max(1, head // 10)
    small = catch_up.peak_memory(runtime, short)
    large = catch_up.peak_memory(runtime, None)
    return [
        f"catch-up events: {made} events",
        f"catch-up projected: {rate:.0f} events/s ({rate / raw_rate:.2f} x of raw keyset read)",
        f"catch-up projected by {len(catch_up.SPLIT)} processes ({groups}): {split:.0f} events/s"
        f" ({split / raw_rate:.2f} x of raw keyset read, {split / rate:.2f} x of one process)",
        f"catch-up raw keyset read: {raw_rate:.0f} events/s (1.00 x)",
        f"catch-up peak memory {short} events: {small / 2**20:.1f} MiB (1.00 x)",
        f"catch-up peak memory {head} events: {large / 2**20:.1f} MiB ({large / small:.2f} x)",
    ]


def _queries(runtime: Runtime, rows: int, user_rows: int, samples: int) -> list[str]:
    user, account = queries.load(runtime, rows, user_rows)
    freeze_startup_heap()  # as ``fintrack serve`` does once started
    lines = [
        f"query tables (bulk-loaded, not projected): {rows} transactions, {user_rows} of one owner"
    ]
    for name, (p50, p99) in queries.measure(runtime, user, account, samples).items():
        target = P99_LIST_MS if name.startswith("list") else P99_REPORT_MS
        lines.append(f"{name} p50: {p50:.2f} ms")
        lines.append(
            f"{name} p99: {p99:.2f} ms ({p99 / target:.2f} x of the {target:.0f} ms target)"
        )
    return lines


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[2:5]]
    with buffer_pool(sa.make_url(sys.argv[1]), BUFFER_POOL_MIB) as setting:
        print(f"# {setting}", flush=True)
        run(sys.argv[1], **dict(zip(("events", "rows", "user_rows"), sizes, strict=False)))
