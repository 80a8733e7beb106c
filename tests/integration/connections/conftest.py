"""Bank connections wired for real (event store, encryption, import pipeline) on SQLite — and
on MariaDB where a test asks for ``database_url`` — with providers faked on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from adapters.banks.connectors.factory import ConnectorOptions
from adapters.banks.connectors.http import RetryPolicy
from adapters.connections.stores import SqlSyncSchedule
from adapters.connections.tasks import SYNC_TASK, ConnectionTasks
from adapters.connections.wiring import build_connections
from adapters.http.auth.passwords import CHEAP_PROFILE
from adapters.persistence.migrate import migrate
from adapters.persistence.tables import events
from application.connections import Connections
from application.mailer import OutgoingMail
from domain.transaction import Transaction
from ops.bootstrap import Runtime, bootstrap
from tests.fakes.gocardless_server import FakeGoCardless
from tests.fakes.simplefin_server import FakeSimpleFin
from tests.integration.ledger.conftest import settings_for

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
FAST = RetryPolicy(attempts=2, base_delay=0.01, max_wait=0.5, timeout=5.0)


class CapturingMailer:
    def __init__(self) -> None:
        self.sent: list[OutgoingMail] = []

    async def send(self, message: OutgoingMail) -> None:
        self.sent.append(message)


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def today(self) -> date:
        return self.now.date()


class RecordingTask:
    """Stands in for a registered taskiq task: records what was enqueued."""

    def __init__(self) -> None:
        self.kicked: list[tuple[Any, ...]] = []

    async def kiq(self, *args: Any) -> None:
        self.kicked.append(args)


@dataclass
class World:
    runtime: Runtime
    connections: Connections
    schedule: SqlSyncSchedule
    tasks: ConnectionTasks
    mailer: CapturingMailer
    clock: Clock
    user_id: UUID
    enqueued: RecordingTask = field(default_factory=RecordingTask)

    def account(self, currency: str = "EUR", name: str = "Giro") -> UUID:
        outcome = self.runtime.accounts.open(
            self.user_id,
            name=name,
            kind="checking",
            currency=currency,
            opening_balance="0",
            opened_on=date(2020, 1, 1),
        )
        return UUID(outcome.answer["id"])

    def transactions(self, account_id: UUID) -> list[Transaction]:
        """Every live transaction on the account, loaded from the event store."""
        with self.runtime.engine.connect() as conn:
            ids = conn.scalars(
                sa.select(events.c.originator_id)
                .where(events.c.topic.like("%Transaction.Recorded"))
                .distinct()
            ).all()
        found = []
        for raw in ids:
            tx: object = self.runtime.ledger.repository.get(
                raw if isinstance(raw, UUID) else UUID(bytes=raw)
            )
            if isinstance(tx, Transaction) and tx.account_id == account_id and not tx.deleted:
                found.append(tx)
        return sorted(found, key=lambda t: (t.booked_on, str(t.amount.amount), t.payee))

    def transaction_events(self) -> int:
        with self.runtime.engine.connect() as conn:
            return int(
                conn.scalar(
                    sa.select(sa.func.count())
                    .select_from(events)
                    .where(events.c.topic.like("%transaction:Transaction.%"))
                )
                or 0
            )

    async def sync(self, connection_id: UUID) -> dict[str, Any]:
        """What the worker does: the ``sync_connection`` task, mail included."""
        return await self.tasks.sync_connection(str(connection_id), str(self.user_id))


def _world(url: URL, tmp_path: Path, options: ConnectorOptions, clock: Clock) -> Iterator[World]:
    settings = settings_for(url, tmp_path / "var")
    migrate(settings.sync_url)
    runtime = bootstrap(settings, password_profile=CHEAP_PROFILE)
    connections, schedule = build_connections(
        runtime,
        options=options,
        clock=clock,
        jitter=lambda: 0.0,
    )
    mailer = CapturingMailer()
    user_id = uuid4()
    tasks = ConnectionTasks(
        connections, schedule, mailer, lambda _owner: "ada@example.org", clock=clock
    )
    world = World(runtime, connections, schedule, tasks, mailer, clock, user_id)
    tasks.bind({SYNC_TASK: world.enqueued})
    try:
        yield world
    finally:
        runtime.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def simplefin() -> Iterator[FakeSimpleFin]:
    with FakeSimpleFin() as server:
        yield server


@pytest.fixture
def gocardless() -> Iterator[FakeGoCardless]:
    with FakeGoCardless() as server:
        yield server


@pytest.fixture
def options(gocardless: FakeGoCardless, clock: Clock) -> ConnectorOptions:
    return ConnectorOptions(
        gocardless_url=gocardless.api, allow_http=True, policy=FAST, demo_today=clock.today
    )


@pytest.fixture
def world(
    sqlite_url: URL, tmp_path: Path, options: ConnectorOptions, clock: Clock
) -> Iterator[World]:
    yield from _world(sqlite_url, tmp_path, options, clock)


@pytest.fixture
def any_db_world(
    database_url: URL, tmp_path: Path, options: ConnectorOptions, clock: Clock
) -> Iterator[World]:
    """The same world once on SQLite and once on MariaDB."""
    yield from _world(database_url, tmp_path, options, clock)
