"""What ``fintrack worker`` runs: a taskiq receiver for the RabbitMQ broker, in this process.

One process, one event loop, up to ``max_async_tasks`` tasks at a time; run more processes (or
containers) to scale. SIGTERM or SIGINT stops taking new messages, lets running tasks finish for
up to ``shutdown_timeout`` seconds, then closes the connections. Anything unacked is redelivered by
RabbitMQ to another worker. Run it under a supervisor that restarts it when it exits.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from concurrent.futures import ThreadPoolExecutor

from taskiq import AsyncBroker, InMemoryBroker
from taskiq.receiver import Receiver

logger = logging.getLogger(__name__)


class WorkerConfigError(RuntimeError):
    """A separate worker needs a real broker."""


async def run_worker(
    broker: AsyncBroker,
    *,
    max_async_tasks: int = 10,
    sync_threads: int = 4,
    shutdown_timeout: float = 30.0,
    stop: asyncio.Event | None = None,
) -> None:
    """Consume until ``stop`` is set (or SIGTERM/SIGINT arrives). Tasks must be registered first."""
    if isinstance(broker, InMemoryBroker):
        raise WorkerConfigError(
            "FINTRACK_BROKER_URL=memory:// runs tasks inside `fintrack serve`; "
            "a separate worker needs amqp://"
        )
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGTERM, signal.SIGINT)
    for signum in signals:
        loop.add_signal_handler(signum, stop.set)
    broker.is_worker_process = True
    try:
        with ThreadPoolExecutor(max_workers=sync_threads) as executor:
            receiver = Receiver(
                broker,
                executor=executor,
                max_async_tasks=max_async_tasks,
                run_startup=True,
                wait_tasks_timeout=shutdown_timeout,
            )
            logger.info("worker started: %d tasks known", len(broker.get_all_tasks()))
            await receiver.listen(stop)
    finally:
        for signum in signals:
            loop.remove_signal_handler(signum)
        try:
            await asyncio.wait_for(broker.shutdown(), timeout=10)
        except Exception:
            logger.warning("broker shutdown did not complete cleanly", exc_info=True)
        logger.info("worker stopped")
