"""The outbox relay: follows the event log and enqueues the work that events request.

``ImportBatch.Requested`` → the ``import_statement`` task; ``Completed``/``Failed`` → the
``send_import_mail`` task; ``User.Registered`` → the ``send_welcome_mail`` task. The relay's
position is a ``tracking`` row (``import_relay``) advanced only after the broker confirmed the
publish, so a request made while RabbitMQ is down is published when it returns, and a crash
between publish and advance re-publishes (the tasks are idempotent).
Run one at a time (``run_relay`` with a leader lock): two would only publish twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from uuid import UUID

from eventsourcing.persistence import Tracking
from eventsourcing.utils import get_topic

from adapters.persistence.application_recorder import SqlApplicationRecorder
from adapters.persistence.tracking_recorder import SqlTrackingRecorder
from adapters.tasks.leader import LeaderLock
from domain.import_batch import ImportBatch
from domain.user import User

logger = logging.getLogger(__name__)

RELAY_NAME = "import_relay"
IMPORT_TASK = "import_statement"
MAIL_TASK = "send_import_mail"
WELCOME_TASK = "send_welcome_mail"
TASK_FOR_TOPIC = {
    get_topic(ImportBatch.Requested): IMPORT_TASK,
    get_topic(ImportBatch.Completed): MAIL_TASK,
    get_topic(ImportBatch.Failed): MAIL_TASK,
    get_topic(User.Registered): WELCOME_TASK,
}

Publish = Callable[[str, UUID], Awaitable[None]]  # (task name, aggregate id); raises if not sent


class ImportRelay:
    def __init__(
        self,
        recorder: SqlApplicationRecorder,
        tracking: SqlTrackingRecorder,
        publish: Publish,
        *,
        page: int = 100,
    ) -> None:
        self._recorder = recorder
        self._tracking = tracking
        self._publish = publish
        self._page = page

    async def pump(self) -> int:
        """Publish the next page of requested work; return how many messages were sent."""
        position = await asyncio.to_thread(self._tracking.max_tracking_id, RELAY_NAME)
        notifications = await asyncio.to_thread(
            self._recorder.select_notifications,
            (position or 0) + 1,
            self._page,
            topics=tuple(TASK_FOR_TOPIC),
        )
        for notification in notifications:
            await self._publish(
                TASK_FOR_TOPIC[notification.topic], UUID(str(notification.originator_id))
            )
            await asyncio.to_thread(
                self._tracking.insert_tracking, Tracking(RELAY_NAME, notification.id)
            )
        return len(notifications)


async def run_relay(
    relay: ImportRelay,
    stop: asyncio.Event,
    *,
    lock: LeaderLock | None = None,
    poll: float = 0.2,
    standby_poll: float = 5.0,
    max_backoff: float = 5.0,
) -> None:
    """Pump until ``stop`` is set; with ``lock``, only while this process holds it."""
    backoff = poll
    try:
        while not stop.is_set():
            if lock is not None and not await asyncio.to_thread(lock.acquire):
                await _wait(stop, standby_poll)
                continue
            try:
                sent = await relay.pump()
            except Exception as error:  # noqa: BLE001 - broker or database away: retry later
                logger.warning("import relay: %s; retrying in %.1fs", type(error).__name__, backoff)
                await _wait(stop, backoff)
                backoff = min(backoff * 2, max_backoff)
                continue
            backoff = poll
            if sent == 0:
                await _wait(stop, poll)
    finally:
        if lock is not None:
            await asyncio.to_thread(lock.release)


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
