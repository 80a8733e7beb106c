"""The import tasks and the processes that run them with the relay.

``import_statement(batch_id)`` runs a requested import (idempotent: done is skipped, running
resumes); ``send_import_mail(batch_id)`` tells the owner how it went; ``send_welcome_mail(user_id)``
greets a new user. All are requested only by the relay, from events. A mail task records that it
was sent once the server accepted it, so a redelivery does not send it again (a crash between the
two can still send it twice: mail is at least once).

- ``run_import_worker``: what ``fintrack worker`` runs (RabbitMQ): the task consumer plus the relay,
  the relay behind a leader lock so that one of several workers publishes.
- ``start_embedded_imports``: what ``fintrack serve`` runs with ``memory://``: the relay inside the
  serving process; tasks run on the in-process broker.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

from taskiq import AsyncBroker, AsyncTaskiqDecoratedTask

from adapters.imports.mail import import_mail
from adapters.imports.relay import IMPORT_TASK, MAIL_TASK, WELCOME_TASK, ImportRelay, run_relay
from adapters.imports.wiring import ImportServices
from adapters.mail.templates import welcome
from adapters.persistence.application_recorder import SqlApplicationRecorder
from adapters.persistence.tracking_recorder import SqlTrackingRecorder
from adapters.tasks.catalog import TaskCatalog
from adapters.tasks.leader import LeaderLock
from adapters.tasks.worker import run_worker

RELAY_LOCK = "fintrack-import-relay"


def import_catalog(services: ImportServices) -> TaskCatalog:
    catalog = TaskCatalog()

    @catalog.task(IMPORT_TASK)
    async def import_statement(batch_id: str) -> None:
        await asyncio.to_thread(services.imports.run, UUID(batch_id))

    @catalog.task(MAIL_TASK)
    async def send_import_mail(batch_id: str) -> None:
        mail = await asyncio.to_thread(import_mail, services.ledger, services.users, UUID(batch_id))
        if mail is not None:
            await services.mailer.send(mail)
            await asyncio.to_thread(services.imports.mark_reported, UUID(batch_id))

    @catalog.task(WELCOME_TASK)
    async def send_welcome_mail(user_id: str) -> None:
        user = await asyncio.to_thread(services.users.awaiting_welcome, UUID(user_id))
        if user is not None:
            await services.mailer.send(welcome(user.email, user.first_name))
            await asyncio.to_thread(services.users.mark_welcomed, user.id)

    return catalog


def build_relay(
    services: ImportServices, tasks: dict[str, AsyncTaskiqDecoratedTask[Any, Any]]
) -> ImportRelay:
    recorder = services.ledger.recorder
    if not isinstance(recorder, SqlApplicationRecorder):
        raise TypeError("the import relay needs the SQL event store")

    async def publish(task: str, batch_id: UUID) -> None:
        await tasks[task].kiq(str(batch_id))

    return ImportRelay(recorder, SqlTrackingRecorder(services.engine), publish)


@contextlib.asynccontextmanager
async def relaying(
    services: ImportServices,
    tasks: dict[str, AsyncTaskiqDecoratedTask[Any, Any]],
    lock: LeaderLock | None = None,
) -> AsyncIterator[ImportRelay]:
    """Run the relay (with ``lock``: only while holding it) until the block exits."""
    relay = build_relay(services, tasks)
    stop = asyncio.Event()
    running = asyncio.create_task(run_relay(relay, stop, lock=lock))
    try:
        yield relay
    finally:
        stop.set()
        with contextlib.suppress(asyncio.CancelledError):
            await running


async def run_import_worker(
    services: ImportServices,
    broker: AsyncBroker,
    lock: LeaderLock,
    *,
    stop: asyncio.Event | None = None,
    shutdown_timeout: float = 30.0,
) -> None:
    """Consume import tasks and, while holding ``lock``, relay requests; until ``stop``."""
    tasks = import_catalog(services).register(broker)
    async with relaying(services, tasks, lock):
        await run_worker(broker, stop=stop or asyncio.Event(), shutdown_timeout=shutdown_timeout)


@contextlib.asynccontextmanager
async def start_embedded_imports(
    services: ImportServices, broker: AsyncBroker, lock: LeaderLock | None = None
) -> AsyncIterator[ImportRelay]:
    """Register the tasks on the in-process ``broker`` and relay in the background until exit.

    The caller owns the broker (``startup`` before, never ``shutdown`` an ``InMemoryBroker``)."""
    async with relaying(services, import_catalog(services).register(broker), lock) as relay:
        yield relay
