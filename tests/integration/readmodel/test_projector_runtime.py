"""The projector runtime: read-your-writes, one active projector, a page moved under it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from adapters.persistence.tables import tracking
from adapters.readmodel.projector import Projector
from adapters.readmodel.reader import wait_for_position
from adapters.readmodel.registry import writers
from adapters.readmodel.runner import build_projector, run_projector
from adapters.readmodel.writer import ProjectionWriter, TableSet
from ops.bootstrap import Runtime
from projections.envelope import Envelope
from projections.errors import ProjectionLagging
from tests.integration.readmodel.conftest import Reads
from tests.integration.readmodel.read_runtime import (
    bulk_record,
    new_user,
    open_account,
    projector,
    record,
)


def test_waiting_for_a_position_the_projector_has_not_reached_raises_projection_lagging(
    runtime: Runtime, reads: Reads
) -> None:
    user = new_user(runtime)
    outcome = runtime.accounts.open(
        user, name="A", kind="cash", currency="EUR", opening_balance="0", opened_on=date(2024, 1, 1)
    )
    started = time.monotonic()
    with pytest.raises(ProjectionLagging) as raised:
        reads.run(wait_for_position(reads.engine, outcome.position, timeout=0.3))
    assert 0.3 <= time.monotonic() - started < 2
    assert raised.value.wanted == outcome.position


def test_a_query_waiting_for_its_write_returns_once_the_projector_catches_up(
    runtime: Runtime, reads: Reads
) -> None:
    user = new_user(runtime)
    account = open_account(runtime, user)
    record(runtime, user, account, "-1.00")
    head = runtime.ledger.recorder.max_notification_id() or 0
    catch_up = threading.Timer(0.2, lambda: projector(runtime).catch_up())
    catch_up.start()
    try:
        assert reads.run(wait_for_position(reads.engine, head, timeout=5)) >= head
    finally:
        catch_up.join()


def test_a_second_projector_stands_by_and_takes_over_when_the_first_stops(
    runtime: Runtime,
) -> None:
    user = new_user(runtime)
    account = open_account(runtime, user)
    first_stop, second_stop = threading.Event(), threading.Event()
    pages: dict[str, int] = {"first": 0, "second": 0}

    def count(who: str) -> Callable[[object], None]:
        return lambda _result: pages.__setitem__(who, pages[who] + 1)

    first = threading.Thread(
        target=run_projector,
        args=(runtime, first_stop),
        kwargs={"idle_poll": 0.01, "on_page": count("first")},
    )
    second = threading.Thread(
        target=run_projector,
        args=(runtime, second_stop),
        kwargs={"idle_poll": 0.01, "standby_poll": 0.05, "on_page": count("second")},
    )
    first.start()
    time.sleep(0.3)
    second.start()
    try:
        record(runtime, user, account, "-1.00")
        _wait_until_caught_up(runtime)
        assert pages["second"] == 0  # standing by
        first_stop.set()
        first.join(10)
        record(runtime, user, account, "-2.00")
        _wait_until_caught_up(runtime)
        deadline = time.monotonic() + 10  # its page is counted once every writer has committed
        while pages["second"] < 1:
            assert time.monotonic() < deadline, "the standby did not take over"
            time.sleep(0.02)
    finally:
        first_stop.set()
        second_stop.set()
        first.join(10)
        second.join(10)


def _wait_until_caught_up(runtime: Runtime) -> None:
    head = runtime.ledger.recorder.max_notification_id()
    check = projector(runtime)
    deadline = time.monotonic() + 10
    while set(check.positions().values()) != {head}:
        assert time.monotonic() < deadline, "the projector did not catch up"
        time.sleep(0.02)


class CountingWriter:
    """A registered writer that counts the pages it applied."""

    def __init__(self, inner: ProjectionWriter) -> None:
        self.name = inner.name
        self.pages = 0
        self._inner = inner

    def tables(self) -> Sequence[sa.Table]:
        return self._inner.tables()

    def apply(self, conn: Connection, page: Sequence[Envelope], tables: TableSet) -> None:
        self._inner.apply(conn, page, tables)
        self.pages += 1


def test_projectors_split_the_projections_and_one_takes_over_another_s_when_it_stops(
    runtime: Runtime,
) -> None:
    user = new_user(runtime)
    account = open_account(runtime, user)
    only = [CountingWriter(w) for w in writers(runtime.keyring) if w.name == "transactions"]
    every = [CountingWriter(w) for w in writers(runtime.keyring)]
    only_stop, every_stop = threading.Event(), threading.Event()
    narrow = threading.Thread(
        target=run_projector, args=(runtime, only_stop), kwargs={"idle_poll": 0.01, "chosen": only}
    )
    wide = threading.Thread(
        target=run_projector,
        args=(runtime, every_stop),
        kwargs={"idle_poll": 0.01, "standby_poll": 0.05, "chosen": every},
    )
    narrow.start()
    time.sleep(0.3)  # it holds the transactions lock before the other one starts
    wide.start()
    try:
        record(runtime, user, account, "-1.00")
        _wait_until_caught_up(runtime)
        assert only[0].pages >= 1
        assert every[0].pages == 0  # transactions: led by the narrow projector
        assert all(w.pages >= 1 for w in every[1:])  # the rest: by the wide one, meanwhile
        only_stop.set()
        narrow.join(10)
        record(runtime, user, account, "-2.00")
        _wait_until_caught_up(runtime)
        assert every[0].pages >= 1  # taken over
    finally:
        only_stop.set()
        every_stop.set()
        narrow.join(10)
        wide.join(10)


def test_a_page_appended_after_the_prefetch_ran_empty_is_applied_at_once(
    runtime: Runtime,
) -> None:
    user = new_user(runtime)
    account = open_account(runtime, user)
    live = projector(runtime)
    live.catch_up()
    record(runtime, user, account, "-2.00")
    assert live.run_page().events == 1  # applied; meanwhile the page after it is prefetched
    time.sleep(0.3)  # the prefetch has run and found nothing
    record(runtime, user, account, "-3.00")
    assert live.run_page().events == 1  # the new event, not the stale empty prefetch


def test_first_pages_of_projectors_started_together_do_not_deadlock(runtime: Runtime) -> None:
    user = new_user(runtime)
    bulk_record(runtime, user, open_account(runtime, user), 1000)
    head = runtime.ledger.recorder.max_notification_id()
    registered = writers(runtime.keyring)
    groups = [[writer] for writer in registered]  # a projector process per projection
    for _attempt in range(3):
        with runtime.engine.begin() as conn:  # every writer back to its first page
            for table in (t for w in registered for t in w.tables()):
                conn.execute(sa.delete(table))
            conn.execute(
                sa.delete(tracking).where(tracking.c.application_name.like("projection:%"))
            )

        failures = _race([build_projector(runtime, chosen=g) for g in groups])

        assert failures == []
        assert set(projector(runtime).positions().values()) == {head}


def _race(projectors: list[Projector]) -> list[BaseException]:
    """Catch every projector up, all released at the same instant; return what they raised."""
    start = threading.Barrier(len(projectors))
    failures: list[BaseException] = []

    def catch_up(live: Projector) -> None:
        start.wait()
        try:
            live.catch_up()
        except Exception as error:  # the test asserts there is none
            failures.append(error)

    threads = [threading.Thread(target=catch_up, args=(p,)) for p in projectors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return failures
