"""Event store benchmark: our recorder against the raw DBAPI driver, same rows, same run.

    python -m ops.bench.event_store URL      (e.g. mariadb+pymysql://root@127.0.0.1/scratch)

Writes to the given database (migrating it first) and to a scratch table ``bench_raw_events``
shaped like ``events``, dropped afterwards. Point it at a scratch database. Each line reads
``name: value unit (ratio x)``, the ratio being recorder / raw (higher is better).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any
from uuid import uuid4

import sqlalchemy as sa
from eventsourcing.persistence import StoredEvent
from sqlalchemy.engine import Engine

from adapters.persistence.application_recorder import SqlApplicationRecorder
from adapters.persistence.engine import create_sync_engine
from adapters.persistence.migrate import migrate
from adapters.persistence.tables import events

BATCH = 1000
BATCHES = 15
SINGLES = 150
STATE_BYTES = 300
TOPIC = "domain.account:Account.Credited"
RAW_TABLE = "bench_raw_events"


def run(url: str | sa.URL) -> list[str]:
    migrate(url)
    engine = create_sync_engine(url)
    scratch = events.to_metadata(sa.MetaData(), name=RAW_TABLE)
    scratch.drop(engine, checkfirst=True)
    scratch.create(engine)
    try:
        lines = _measure(engine, SqlApplicationRecorder(engine))
    finally:
        scratch.drop(engine)
        engine.dispose()
    for line in lines:
        print(line)
    return lines


def _measure(engine: Engine, recorder: SqlApplicationRecorder) -> list[str]:
    """Ours and raw alternate call by call; medians resist the noise of a shared machine."""
    raw = _Raw(engine)
    before = recorder.max_notification_id() or 0
    try:
        bulk = _compare(recorder.insert_events, raw.insert, lambda: _events(BATCH), BATCHES)
        single = _compare(recorder.insert_events, raw.insert, lambda: _events(1), SINGLES)
        read = _compare(
            lambda _: _read_all(recorder, before), lambda _: raw.read_all(), lambda: None, 5
        )
    finally:
        raw.close()
    total = (recorder.max_notification_id() or 0) - before
    return [
        _line("bulk append, 1000 events per insert", BATCH, *bulk, "events/s"),
        _line("single-event insert + commit", 1, *single, "inserts/s"),
        _line(f"select_notifications, pages of {BATCH}", total, *read, "events/s"),
    ]


def _compare(
    ours: Callable[[Any], object], raw: Callable[[Any], object], make: Callable[[], Any], n: int
) -> tuple[float, float]:
    """Median seconds per call of ``ours`` and of ``raw``, each on freshly made input."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(n):
        for work, spent in ((ours, times[0]), (raw, times[1])):
            arg = make()
            started = time.perf_counter()
            work(arg)
            spent.append(time.perf_counter() - started)
    return statistics.median(times[0]), statistics.median(times[1])


def _events(n: int) -> list[StoredEvent]:
    return [
        StoredEvent(
            originator_id=uuid4(), originator_version=1, topic=TOPIC, state=os.urandom(STATE_BYTES)
        )
        for _ in range(n)
    ]


def _read_all(recorder: SqlApplicationRecorder, last: int) -> None:
    while page := recorder.select_notifications(last, BATCH, inclusive_of_start=False):
        last = page[-1].id


class _Raw:
    """The same work straight on the DBAPI connection (pymysql or sqlite3): the ceiling."""

    def __init__(self, engine: Engine) -> None:
        self._conn: Any = engine.raw_connection()
        self._begin = engine.dialect.name == "sqlite"  # sqlite3 is in autocommit mode here
        mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
        self._insert = (
            f"INSERT INTO {RAW_TABLE} (originator_id, originator_version, topic, state) "
            f"VALUES ({mark}, {mark}, {mark}, {mark})"
        )
        self._page = f"SELECT * FROM {RAW_TABLE} WHERE id > {mark} ORDER BY id LIMIT {BATCH}"

    def insert(self, stored: Sequence[StoredEvent]) -> None:
        rows = [(e.originator_id.bytes, e.originator_version, e.topic, e.state) for e in stored]  # type: ignore[union-attr]
        cursor = self._conn.cursor()
        if self._begin:
            cursor.execute("BEGIN IMMEDIATE")
        if len(rows) == 1:
            cursor.execute(self._insert, rows[0])
        else:
            cursor.executemany(self._insert, rows)
        self._conn.commit()

    def read_all(self) -> None:
        last = 0
        cursor = self._conn.cursor()
        while True:
            cursor.execute(self._page, (last,))
            rows = cursor.fetchall()
            if not rows:
                break
            last = rows[-1][0]
        self._conn.commit()

    def close(self) -> None:
        self._conn.close()


def _line(name: str, items: int, ours: float, raw: float, unit: str) -> str:
    return f"{name}: {items / ours:,.0f} {unit} ({raw / ours:.2f}x)"


if __name__ == "__main__":
    run(sys.argv[1])
