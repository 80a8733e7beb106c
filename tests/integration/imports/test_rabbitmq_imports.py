"""Imports through a real, private RabbitMQ node and separate worker processes (MariaDB):
a broker outage during an import, a worker killed mid-import, a request made while the broker
is down. Each ends with every line recorded exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import aio_pika
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from adapters.persistence.migrate import migrate
from adapters.persistence.tables import events
from adapters.tasks.broker import DEAD_LETTER_QUEUE, TASK_QUEUE
from application.statement import CsvMapping
from tests.integration.imports.conftest import World, make_world
from tests.integration.ledger.conftest import settings_for
from tests.rabbitmq import RabbitNode

REPO = Path(__file__).resolve().parents[3]
pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]
LINES = 30_000
MAPPING = CsvMapping(
    date_column="Date", amount_column="Amount", date_format="%Y-%m-%d",
    payee_column="Payee", reference_column="Ref",
)  # fmt: skip

WorkerFactory = Callable[[], subprocess.Popen[bytes]]


def statement(lines: int = LINES) -> bytes:
    rows = [
        f"2024-{1 + i % 12:02d}-{1 + i % 28:02d},-{1 + i % 500}.{i % 100:02d},Shop {i % 97},R{i}"
        for i in range(lines)
    ]
    return ("Date,Amount,Payee,Ref\n" + "\n".join(rows) + "\n").encode()


@pytest.fixture
def mq_world(mariadb_url: URL, tmp_path: Path, rabbitmq_node: RabbitNode) -> Iterator[World]:
    _purge(rabbitmq_node)
    settings = settings_for(mariadb_url, tmp_path / "var")
    migrate(settings.sync_url)
    world = make_world(settings)
    try:
        yield world
    finally:
        world.runtime.close()


@pytest.fixture
def start_worker(
    mq_world: World, rabbitmq_node: RabbitNode, tmp_path: Path
) -> Iterator[WorkerFactory]:
    started: list[subprocess.Popen[bytes]] = []
    settings = mq_world.runtime.settings

    def start() -> subprocess.Popen[bytes]:
        log = (tmp_path / f"worker-{len(started)}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.imports.import_worker",
             settings.database_url, rabbitmq_node.url, str(settings.var_dir)],
            cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_a_broker_outage_during_an_import_loses_and_doubles_nothing(
    mq_world: World, rabbitmq_node: RabbitNode, start_worker: WorkerFactory
) -> None:
    world = mq_world
    start_worker()
    account = world.account()
    batch = world.services.imports.request(world.user_id, account, statement(), mapping=MAPPING)
    _until(lambda: _status(world, batch) == "running", 60)
    rabbitmq_node.stop_app()
    assert _recorded(world) < LINES  # the broker went away while the import was in flight
    try:
        time.sleep(2)
    finally:
        rabbitmq_node.start_app()
    _until(lambda: _status(world, batch) == "done", 120)
    _assert_once(world, batch)


def test_a_worker_killed_mid_import_is_redelivered_and_applied_once(
    mq_world: World, start_worker: WorkerFactory
) -> None:
    world = mq_world
    doomed = start_worker()
    account = world.account()
    before = world.event_count()
    batch = world.services.imports.request(world.user_id, account, statement(), mapping=MAPPING)
    _until(lambda: world.event_count() - before > 2_000, 60)  # some chunks are in
    assert _recorded(world) < LINES
    os.kill(doomed.pid, signal.SIGKILL)
    doomed.wait(timeout=10)
    assert _status(world, batch) == "running"
    start_worker()
    _until(lambda: _status(world, batch) == "done", 120)
    _assert_once(world, batch)


def test_a_request_made_while_the_broker_is_down_runs_when_it_returns(
    mq_world: World, rabbitmq_node: RabbitNode, start_worker: WorkerFactory
) -> None:
    world = mq_world
    start_worker()
    account = world.account()
    warm_up = world.services.imports.request(world.user_id, account, statement(1), mapping=MAPPING)
    _until(lambda: _status(world, warm_up) == "done", 60)  # the worker is connected
    rabbitmq_node.stop_app()
    try:
        batch = world.services.imports.request(
            world.user_id, account, statement(50), mapping=MAPPING
        )
        time.sleep(3)
        assert _status(world, batch) == "queued"
    finally:
        rabbitmq_node.start_app()
    _until(lambda: _status(world, batch) == "done", 120)
    view = world.services.imports.status(world.user_id, batch)
    assert (view.lines_new, view.lines_duplicate) == (49, 1)  # R0 came with the warm-up


def _assert_once(world: World, batch: UUID) -> None:
    view = world.services.imports.status(world.user_id, batch)
    assert (view.lines_seen, view.lines_new, view.lines_duplicate) == (LINES, LINES, 0)
    assert _recorded(world) == LINES


def _recorded(world: World) -> int:
    with world.runtime.engine.connect() as conn:
        return int(
            conn.scalar(
                sa.select(sa.func.count())
                .select_from(events)
                .where(events.c.topic == "domain.transaction:Transaction.Recorded")
            )
            or 0
        )


def _status(world: World, batch: UUID) -> str:
    return world.services.imports.status(world.user_id, batch).status


def _until(predicate: Callable[[], Any], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def _purge(node: RabbitNode) -> None:
    import asyncio

    async def purge() -> None:
        connection = await aio_pika.connect(node.url)
        async with connection:
            channel = await connection.channel()
            for name in (TASK_QUEUE, DEAD_LETTER_QUEUE):
                try:
                    queue = await channel.get_queue(name, ensure=True)
                except aio_pika.exceptions.ChannelClosed:
                    channel = await connection.channel()
                    continue
                await queue.purge()

    asyncio.run(purge())
