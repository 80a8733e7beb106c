"""The connection tasks: sync one connection, and the sweep that finds the due ones.

    tasks = ConnectionTasks(connections, schedule, mailer, email_of)
    tasks.declare(catalog)                  # before catalog.register(broker)
    tasks.bind(catalog.register(broker))    # after: the sweep can now enqueue syncs

``sync_due_connections`` runs every ``SWEEP_CRON`` (the scheduler's cron, leader-elected). It claims
due connections in ``connection_schedule`` by pushing their due time ``LEASE`` ahead (so the next
sweep does not enqueue them twice) and enqueues ``sync_connection`` for each; the sync writes the
real next due time when it ends. A lost message costs at most one lease. "Sync now" marks the
connection due at once (durable: the sweep finds it even if the broker is down) and enqueues it.

``sync_connection`` runs the blocking sync in a thread. A provider failure is recorded by the sync
itself (no task retry: the connection's own backoff decides); when it opens an incident the user
gets ``connection_needs_attention`` once, sent by ``mail_connection_needs_attention`` (retried on
its own). An unexpected error propagates: the broker retries it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from adapters.connections.stores import SqlSyncSchedule
from adapters.mail.templates import connection_needs_attention
from adapters.tasks.catalog import TaskCatalog
from application.connections import Connections, SyncReport
from application.errors import RecordNotFound
from application.mailer import Mailer

logger = logging.getLogger(__name__)

SYNC_TASK = "sync_connection"
MAIL_TASK = "mail_connection_needs_attention"
SWEEP_TASK = "sync_due_connections"
SWEEP_CRON = "*/5 * * * *"
LEASE = timedelta(minutes=30)
SWEEP_LIMIT = 500


class ConnectionTasks:
    def __init__(
        self,
        connections: Connections,
        schedule: SqlSyncSchedule,
        mailer: Mailer,
        email_of: Callable[[UUID], str | None],
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._connections = connections
        self._schedule = schedule
        self._mailer = mailer
        self._email_of = email_of
        self._clock = clock
        self._sync_task: Any = None
        self._mail_task: Any = None

    def declare(self, catalog: TaskCatalog) -> None:
        # taskiq registers plain functions only (it renames them), not bound methods.
        async def sync_connection(connection_id: str, owner_id: str) -> dict[str, Any]:
            return await self.sync_connection(connection_id, owner_id)

        async def sync_due_connections() -> int:
            return await self.sync_due_connections()

        async def mail_connection_needs_attention(owner_id: str, name: str, reason: str) -> None:
            await self.mail(UUID(owner_id), name, reason)

        catalog.task(SYNC_TASK)(sync_connection)
        catalog.task(MAIL_TASK)(mail_connection_needs_attention)
        catalog.task(
            SWEEP_TASK,
            schedule=({"cron": SWEEP_CRON, "schedule_id": "connections-sweep"},),
            retry_on_error=False,
        )(sync_due_connections)

    def bind(self, registered: dict[str, Any]) -> None:
        self._sync_task = registered[SYNC_TASK]
        self._mail_task = registered.get(MAIL_TASK)

    async def sync_connection(self, connection_id: str, owner_id: str) -> dict[str, Any]:
        try:
            report = await asyncio.to_thread(
                self._connections.sync, UUID(owner_id), UUID(connection_id)
            )
        except RecordNotFound:  # the owner was erased meanwhile: forget the schedule
            await asyncio.to_thread(
                self._schedule.set_due, UUID(connection_id), UUID(owner_id), None
            )
            return {"status": "gone"}
        if report.incident_opened:
            await self._notify(report)
        return {
            "status": report.status,
            "lines_new": report.lines_new,
            "lines_duplicate": report.lines_duplicate,
            "pending_linked": report.pending_linked,
        }

    async def sync_due_connections(self) -> int:
        now = self._clock()
        claimed = await asyncio.to_thread(self._schedule.claim_due, now, now + LEASE, SWEEP_LIMIT)
        for connection_id, owner_id in claimed:
            await self._enqueue(connection_id, owner_id)
        return len(claimed)

    async def request_sync(self, owner_id: UUID, connection_id: UUID) -> None:
        """ "Sync now": durable first (due now), then a best-effort enqueue."""
        await asyncio.to_thread(self._connections.check_can_sync, owner_id, connection_id)
        await asyncio.to_thread(self._schedule.set_due, connection_id, owner_id, self._clock())
        try:
            await self._enqueue(connection_id, owner_id)
        except Exception:  # noqa: BLE001 - the broker is down: the sweep will pick it up
            logger.warning(
                "sync of connection %s not enqueued; the sweep will run it", connection_id
            )

    async def _enqueue(self, connection_id: UUID, owner_id: UUID) -> None:
        if self._sync_task is None:
            raise RuntimeError("ConnectionTasks.bind() was not called")
        await self._sync_task.kiq(str(connection_id), str(owner_id))

    async def _notify(self, report: SyncReport) -> None:
        """The notice is its own task: if mail fails, only the mail is retried (the incident is
        already recorded, so a re-run sync would not report it again)."""
        reason = report.failure or "unknown error"
        if self._mail_task is None:
            await self.mail(report.owner_id, report.name, reason)
            return
        await self._mail_task.kiq(str(report.owner_id), report.name, reason)

    async def mail(self, owner_id: UUID, name: str, reason: str) -> None:
        to = await asyncio.to_thread(self._email_of, owner_id)
        if to is not None:
            await self._mailer.send(connection_needs_attention(to, name, reason))
