"""Ledger benchmark: encrypted aggregates end to end against raw inserts of rows of the same size.

    python -m ops.bench.ledger URL

Each line reads ``name: value unit (ratio x)``; ratios are ours / raw (higher is better), measured
alternately in the same run so the machine's noise hits both alike.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import sqlalchemy as sa
from eventsourcing.persistence import StoredEvent

from adapters.crypto.key_file import load_or_create_key_file
from adapters.crypto.master_key import load_master_keys
from adapters.http.auth.passwords import CHEAP_PROFILE
from adapters.persistence.migrate import migrate
from adapters.persistence.tables import events
from adapters.settings import Settings
from application.transactions import NewTransaction
from domain.account import Account
from domain.actor import Actor
from domain.money import Money
from domain.transaction import Transaction
from ops.bench.event_store import RAW_TABLE, _Raw
from ops.bootstrap import Runtime, bootstrap

BATCH = 1000
BATCHES = 10
COMMANDS = 300
LONG_LIVED_EVENTS = 1000


def run(url: str | sa.URL) -> list[str]:
    url = sa.make_url(url)
    with tempfile.TemporaryDirectory() as keys:
        settings = Settings(
            database_url=url.render_as_string(hide_password=False),
            master_key_file=Path(keys) / "master.key",
            secret_key_file=Path(keys) / "secret.key",
        )
        load_master_keys(settings.master_key_file, create=True)
        load_or_create_key_file(settings.secret_key_file, create=True)
        migrate(settings.sync_url)
        runtime = bootstrap(settings, password_profile=CHEAP_PROFILE)
        scratch = events.to_metadata(sa.MetaData(), name=RAW_TABLE)
        scratch.drop(runtime.engine, checkfirst=True)
        scratch.create(runtime.engine)
        try:
            lines = _measure(runtime)
        finally:
            scratch.drop(runtime.engine)
            runtime.close()
    for line in lines:
        print(line)
    return lines


def _measure(runtime: Runtime) -> list[str]:
    user_id = runtime.users.register(f"bench-{uuid4().hex}@example.org", "bench password 2026")
    outcome = runtime.accounts.open(
        user_id,
        name="Bench",
        kind="checking",
        currency="EUR",
        opening_balance="0",
        opened_on=date(2020, 1, 1),
    )
    account: Account = runtime.ledger.repository.get(UUID(outcome.answer["id"]))
    raw = _Raw(runtime.engine)
    try:
        sample = _transactions(account, 1)[0].collect_events()[0]
        state_size = len(runtime.ledger.mapper.to_stored_event(sample).state)
        batches = iter([_transactions(account, BATCH) for _ in range(BATCHES)])  # built untimed
        bulk = _alternate(
            lambda: runtime.ledger.save(*next(batches)),
            lambda: raw.insert(_raw_events(BATCH, state_size)),
            BATCHES,
        )
        ids = [
            UUID(runtime.transactions.record(user_id, _new(account.id)).answer["id"])
            for _ in range(50)
        ]
        counter = iter(range(10**9))
        single = _alternate(
            lambda: runtime.transactions.amend(
                user_id, ids[next(counter) % len(ids)], {"notes": f"note {next(counter)}"}
            ),
            lambda: raw.insert(_raw_events(1, state_size)),
            COMMANDS,
        )
    finally:
        raw.close()
    cold, warm = _load_long_lived(runtime, user_id)
    return [
        f"bulk append, {BATCH} encrypted transactions per save: {BATCH / bulk[0]:,.0f} events/s "
        f"({bulk[1] / bulk[0]:.2f}x of raw executemany, {state_size} B state)",
        f"single command (load + amend + save, encrypted): {1 / single[0]:,.0f} commands/s "
        f"({single[1] / single[0]:.2f}x of raw one-row insert + commit)",
        f"load aggregate of {LONG_LIVED_EVENTS} events, no snapshot: {cold * 1000:.1f} ms (1.00x)",
        f"load aggregate of {LONG_LIVED_EVENTS} events, snapshot every 100: {warm * 1000:.1f} ms "
        f"({cold / warm:.2f}x)",
    ]


def _transactions(account: Account, n: int) -> list[Transaction]:
    actor = Actor.user(account.owner_id)
    return [
        Transaction.record(
            account,
            id=uuid4(),
            amount=Money(Decimal("-12.34"), account.currency),
            booked_on=date(2026, 1, 15),
            payee="Corner Grocery",
            description="Card payment 4711",
            actor=actor,
        )
        for _ in range(n)
    ]


def _new(account_id: UUID) -> NewTransaction:
    return NewTransaction(account_id=account_id, amount="-1.00", booked_on=date(2026, 1, 1))


def _raw_events(n: int, size: int) -> list[StoredEvent]:
    topic = "domain.transaction:Transaction.Recorded"
    return [StoredEvent(uuid4(), 1, topic, os.urandom(size)) for _ in range(n)]


def _alternate(
    ours: Callable[[], object], raw: Callable[[], object], n: int
) -> tuple[float, float]:
    """Median seconds of ``ours`` and ``raw``, called alternately ``n`` times each."""
    spent: tuple[list[float], list[float]] = ([], [])
    for _ in range(n):
        for work, times in ((ours, spent[0]), (raw, spent[1])):
            started = time.perf_counter()
            work()
            times.append(time.perf_counter() - started)
    return statistics.median(spent[0]), statistics.median(spent[1])


def _load_long_lived(runtime: Runtime, user_id: UUID) -> tuple[float, float]:
    """Seconds to load an account renamed ``LONG_LIVED_EVENTS`` times: events only, snapshot."""
    outcome = runtime.accounts.open(
        user_id,
        name="Renamed",
        kind="savings",
        currency="EUR",
        opening_balance="0",
        opened_on=date(2020, 1, 1),
    )
    account_id = UUID(outcome.answer["id"])
    for n in range(LONG_LIVED_EVENTS - 1):
        runtime.accounts.rename(user_id, account_id, f"Name {n}")

    def from_events() -> None:
        # The fold the repository does, over every stored event instead of snapshot + tail.
        _fold(None, runtime.ledger.events.get(account_id))

    cold = _median(from_events)
    warm = _median(lambda: runtime.ledger.repository.get(account_id))
    return cold, warm


def _fold(aggregate: Any, events: Iterable[Any]) -> Any:
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


def _median(work: Callable[[], object], n: int = 9) -> float:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


if __name__ == "__main__":
    run(sys.argv[1])
