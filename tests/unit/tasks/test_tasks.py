"""Task runtime on the in-process broker: catalog, retries with delay, dead letters."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

from adapters.tasks.broker import BrokerUrlError, create_broker
from adapters.tasks.catalog import TaskCatalog
from adapters.tasks.worker import WorkerConfigError, run_worker

pytestmark = pytest.mark.timeout(20)


def test_declaring_a_task_builds_no_broker_and_registering_names_it() -> None:
    catalog = TaskCatalog()

    @catalog.task("sync_connections", schedule=({"cron": "0 */6 * * *"},), max_retries=2)
    async def sync_connections() -> None: ...

    assert catalog.names == {"sync_connections"}
    broker = create_broker("memory://")
    task = catalog.register(broker)["sync_connections"]
    assert broker.find_task("sync_connections") is task
    assert task.labels["schedule"] == [{"cron": "0 */6 * * *"}]
    assert task.labels["max_retries"] == 2


def test_a_task_name_declared_twice_is_refused() -> None:
    catalog = TaskCatalog()
    catalog.task("once")(lambda: None)
    with pytest.raises(ValueError, match="twice"):
        catalog.task("once")(lambda: None)


def test_an_unknown_broker_url_is_refused() -> None:
    with pytest.raises(BrokerUrlError):
        create_broker("redis://localhost")


async def test_a_worker_refuses_the_in_process_broker() -> None:
    with pytest.raises(WorkerConfigError):
        await run_worker(create_broker("memory://"))


async def test_a_flaky_task_succeeds_on_a_later_attempt_after_waiting() -> None:
    attempts: list[float] = []
    done = asyncio.Event()
    catalog = TaskCatalog()

    @catalog.task("flaky")
    async def flaky() -> None:
        attempts.append(time.monotonic())
        if len(attempts) < 3:
            raise ConnectionError("try again")
        done.set()

    broker = create_broker("memory://", max_attempts=5, retry_delay=0.2)
    tasks = catalog.register(broker)
    await broker.startup()
    await tasks["flaky"].kiq()
    await asyncio.wait_for(done.wait(), timeout=10)

    assert len(attempts) == 3
    assert attempts[1] - attempts[0] >= 0.2
    assert attempts[2] - attempts[1] >= 0.4


async def test_a_task_failing_every_attempt_is_dead_lettered_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    attempts: list[float] = []
    catalog = TaskCatalog()

    @catalog.task("hopeless")
    async def hopeless() -> None:
        attempts.append(time.monotonic())
        raise ConnectionError("alice@example.org unreachable")

    broker = create_broker("memory://", max_attempts=2, retry_delay=0.05)
    tasks = catalog.register(broker)
    await broker.startup()
    with caplog.at_level(logging.ERROR, logger="adapters.tasks.broker"):
        await tasks["hopeless"].kiq()
        await asyncio.sleep(2.0)

    assert len(attempts) == 2
    dead = [r for r in caplog.records if "failed for good" in r.getMessage()]
    assert len(dead) == 1
    assert "ConnectionError" in dead[0].getMessage()
    assert "alice@example.org" not in dead[0].getMessage()  # the exception type only


async def test_a_task_that_opts_out_of_retries_is_dead_lettered_at_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    attempts: list[int] = []
    catalog = TaskCatalog()

    @catalog.task("no_retry", retry_on_error=False)
    async def no_retry() -> None:
        attempts.append(1)
        raise ValueError("malformed file")

    broker = create_broker("memory://", retry_delay=0.05)
    tasks = catalog.register(broker)
    await broker.startup()
    with caplog.at_level(logging.ERROR, logger="adapters.tasks.broker"):
        await tasks["no_retry"].kiq()
        await asyncio.sleep(0.5)

    assert attempts == [1]
    assert "failed for good" in caplog.text
