"""A worker process for the reliability tests, and the tasks it runs.

    python -m tests.integration.tasks.worker_app AMQP_URL JOURNAL_DIR

Every task appends one line per event to a file in JOURNAL_DIR, so the test can count executions
across worker processes: ``<key>.started`` on entry, ``<key>.done`` on success, ``<key>.attempts``
(with a timestamp) for each try of the failing task.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from pathlib import Path

from taskiq import AsyncBroker

from adapters.tasks.broker import create_broker
from adapters.tasks.catalog import TaskCatalog
from adapters.tasks.worker import run_worker

MAX_ATTEMPTS = 3
RETRY_DELAY = 0.5


def journal(directory: Path, name: str, line: str = "x") -> None:
    with (directory / name).open("a") as file:
        file.write(f"{line}\n")


def lines(directory: Path, name: str) -> list[str]:
    path = directory / name
    return path.read_text().splitlines() if path.exists() else []


def build_broker(url: str, directory: Path) -> AsyncBroker:
    catalog = TaskCatalog()

    @catalog.task("record")
    async def record(key: str, seconds: float = 0.0) -> None:
        journal(directory, f"{key}.started")
        await asyncio.sleep(seconds)
        journal(directory, f"{key}.done")

    @catalog.task("flaky_connection")
    async def flaky_connection(key: str) -> None:
        journal(directory, f"{key}.attempts", repr(time.monotonic()))
        raise ConnectionError("the bank did not answer")

    broker = create_broker(url, max_attempts=MAX_ATTEMPTS, retry_delay=RETRY_DELAY)
    catalog.register(broker)
    return broker


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    url, directory = sys.argv[1], Path(sys.argv[2])
    asyncio.run(run_worker(build_broker(url, directory), shutdown_timeout=5))


if __name__ == "__main__":
    main()
