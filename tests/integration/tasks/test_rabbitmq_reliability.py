"""Tasks on a real, private RabbitMQ node: outages, a killed worker, retries, dead letters."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import aio_pika
import pytest

from adapters.tasks.broker import DEAD_LETTER_QUEUE, DELIVERY_LIMIT, TASK_QUEUE
from tests.integration.tasks.worker_app import MAX_ATTEMPTS, RETRY_DELAY, build_broker, lines
from tests.rabbitmq import RabbitNode

REPO = Path(__file__).resolve().parents[3]
pytestmark = [pytest.mark.slow, pytest.mark.timeout(60)]

WorkerFactory = Callable[[], subprocess.Popen[bytes]]


@pytest.fixture
def journal_dir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
async def purged(rabbitmq_node: RabbitNode) -> RabbitNode:
    """Queues emptied before the test, so one test's leftovers can't satisfy another's asserts."""
    connection = await aio_pika.connect(rabbitmq_node.url)
    async with connection:
        channel = await connection.channel()
        for name in (TASK_QUEUE, DEAD_LETTER_QUEUE):
            try:
                queue = await channel.get_queue(name, ensure=True)
            except aio_pika.exceptions.ChannelClosed:
                channel = await connection.channel()
                continue
            await queue.purge()
    return rabbitmq_node


@pytest.fixture
def start_worker(purged: RabbitNode, journal_dir: Path) -> Iterator[WorkerFactory]:
    started: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        log = (journal_dir / f"worker-{len(started)}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.tasks.worker_app", purged.url, journal_dir],
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
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


async def publish(url: str, journal_dir: Path, task: str, *args: Any) -> None:
    """Publish with a fresh connection, retrying while the node is still coming back."""
    broker = build_broker(url, journal_dir)
    deadline = time.monotonic() + 20
    while True:
        try:
            await broker.startup()
            sent = broker.find_task(task)
            assert sent is not None
            await sent.kiq(*args)
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)
        finally:
            await broker.shutdown()


async def eventually(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(0.1)


async def test_a_task_published_with_no_worker_survives_a_broker_restart(
    purged: RabbitNode, journal_dir: Path, start_worker: WorkerFactory
) -> None:
    await publish(purged.url, journal_dir, "record", "queued")
    purged.stop_app()
    purged.start_app()
    start_worker()
    await eventually(lambda: lines(journal_dir, "queued.done") == ["x"], 30, "the queued task")


async def test_a_running_worker_keeps_working_after_a_broker_restart(
    purged: RabbitNode, journal_dir: Path, start_worker: WorkerFactory
) -> None:
    start_worker()
    await publish(purged.url, journal_dir, "record", "before")
    await eventually(lambda: bool(lines(journal_dir, "before.done")), 20, "the first task")
    purged.stop_app()
    purged.start_app()
    await publish(purged.url, journal_dir, "record", "after")
    await eventually(lambda: bool(lines(journal_dir, "after.done")), 30, "the task after restart")


async def test_a_task_whose_worker_is_killed_mid_task_is_redelivered_and_completes(
    purged: RabbitNode, journal_dir: Path, start_worker: WorkerFactory
) -> None:
    doomed = start_worker()
    await publish(purged.url, journal_dir, "record", "long", 2.0)
    await eventually(lambda: bool(lines(journal_dir, "long.started")), 20, "the task to start")
    os.kill(doomed.pid, signal.SIGKILL)
    doomed.wait()
    start_worker()
    await eventually(lambda: bool(lines(journal_dir, "long.done")), 30, "the redelivered task")
    assert len(lines(journal_dir, "long.started")) == 2
    assert lines(journal_dir, "long.done") == ["x"]


async def test_a_failing_task_is_retried_with_backoff_then_dead_lettered(
    purged: RabbitNode, journal_dir: Path, start_worker: WorkerFactory
) -> None:
    start_worker()
    await publish(purged.url, journal_dir, "flaky_connection", "flaky")
    dead = await _get_one(purged.url, DEAD_LETTER_QUEUE, timeout=30)

    attempts = [float(t) for t in lines(journal_dir, "flaky.attempts")]
    assert len(attempts) == MAX_ATTEMPTS
    first_gap, second_gap = attempts[1] - attempts[0], attempts[2] - attempts[1]
    assert first_gap >= RETRY_DELAY  # the delay queue held it back ...
    assert second_gap >= 2 * RETRY_DELAY  # ... longer the second time
    assert dead.headers["task_name"] == "flaky_connection"
    assert dead.headers["x-fintrack-error"] == "ConnectionError"
    await asyncio.sleep(2 * RETRY_DELAY * MAX_ATTEMPTS)
    assert len(lines(journal_dir, "flaky.attempts")) == MAX_ATTEMPTS  # no attempt after the DLQ


async def test_a_message_never_acked_is_dead_lettered_after_the_delivery_limit(
    purged: RabbitNode, journal_dir: Path
) -> None:
    await publish(purged.url, journal_dir, "record", "poison")
    connection = await aio_pika.connect(purged.url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.get_queue(TASK_QUEUE, ensure=True)
        for _ in range(DELIVERY_LIMIT + 1):  # a worker dying before the ack, over and over
            message = await _get(queue, timeout=10)
            await message.nack(requeue=True)
    dead = await _get_one(purged.url, DEAD_LETTER_QUEUE, timeout=10)
    assert dead.headers["task_name"] == "record"


async def _get(queue: aio_pika.abc.AbstractQueue, timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        message = await queue.get(fail=False, no_ack=False)
        if message is not None:
            return message
        if time.monotonic() > deadline:
            pytest.fail(f"nothing arrived in {queue.name} within {timeout} s")
        await asyncio.sleep(0.1)


async def _get_one(url: str, name: str, timeout: float) -> Any:
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.get_queue(name, ensure=True)
        message = await _get(queue, timeout)
        await message.ack()
        return message


async def test_sigterm_lets_the_running_task_finish_and_the_worker_exit_cleanly(
    purged: RabbitNode, journal_dir: Path, start_worker: WorkerFactory
) -> None:
    worker = start_worker()
    await publish(purged.url, journal_dir, "record", "graceful", 1.5)
    await eventually(lambda: bool(lines(journal_dir, "graceful.started")), 20, "the task to start")
    worker.send_signal(signal.SIGTERM)
    assert await asyncio.to_thread(worker.wait, 15) == 0
    assert lines(journal_dir, "graceful.done") == ["x"]
