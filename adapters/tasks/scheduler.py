"""What ``fintrack scheduler`` runs (and ``fintrack serve`` in the embedded default): taskiq's
periodic scheduler behind a leader lock, so that two started schedulers give one effective one.

A standby tries the lock every ``standby_poll`` seconds. The leader checks every ``check_every``
seconds that it still holds the lock (on MariaDB the lock dies with its connection) and steps down
at once if not. Keep ``check_every`` well below ``standby_poll``; still, a task may fire twice
around a hand-over, so periodic tasks dedupe by period (``sync:{account}:{hour}``).

The caller owns the broker: ``await broker.startup()`` before, ``shutdown()`` after.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from datetime import timedelta

from taskiq import AsyncBroker, TaskiqScheduler
from taskiq.cli.scheduler.run import SchedulerLoop
from taskiq.schedule_sources import LabelScheduleSource

from adapters.tasks.leader import LeaderLock

logger = logging.getLogger(__name__)


def create_scheduler(broker: AsyncBroker) -> TaskiqScheduler:
    """Schedules come from the ``schedule`` entries of the tasks registered on ``broker``."""
    return TaskiqScheduler(broker=broker, sources=[LabelScheduleSource(broker)])


async def run_scheduler(
    scheduler: TaskiqScheduler,
    lock: LeaderLock,
    *,
    standby_poll: float = 5.0,
    check_every: float = 1.0,
    stop: asyncio.Event | None = None,
    handle_signals: bool = True,
) -> None:
    """Run until ``stop`` is set (or SIGTERM/SIGINT if ``handle_signals``); lead when elected."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGTERM, signal.SIGINT) if handle_signals else ()
    for signum in signals:
        loop.add_signal_handler(signum, stop.set)
    try:
        while not stop.is_set():
            if await asyncio.to_thread(lock.acquire):
                logger.info("scheduler elected leader")
                await _lead(scheduler, lock, stop, check_every)
                logger.info("scheduler no longer leader")
            else:
                await _wait(stop, standby_poll)
    finally:
        for signum in signals:
            loop.remove_signal_handler(signum)
        await asyncio.to_thread(lock.release)


async def _lead(
    scheduler: TaskiqScheduler, lock: LeaderLock, stop: asyncio.Event, check_every: float
) -> None:
    for source in scheduler.sources:
        await source.startup()
    ticking = asyncio.create_task(
        SchedulerLoop(scheduler).run(loop_interval=timedelta(seconds=1), skip_first_run=True)
    )
    try:
        while not stop.is_set() and not ticking.done():
            await _wait(stop, check_every)
            if not await asyncio.to_thread(lock.is_held):
                logger.warning("scheduler lost its leader lock; stepping down")
                break
    finally:
        ticking.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ticking
        for source in scheduler.sources:
            await source.shutdown()
        await asyncio.to_thread(lock.release)
    if ticking.done() and not ticking.cancelled() and ticking.exception() is not None:
        logger.error("scheduler loop failed", exc_info=ticking.exception())


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
