"""Background work, composed once: the import pipeline and bank connections on one task catalog.

``fintrack worker`` consumes the tasks and runs the import relay; ``fintrack scheduler`` enqueues
the periodic ones; embedded ``fintrack serve`` does all three in-process on the ``memory://``
broker. The HTTP layer gets the same services for its import and connection resources.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar import Router
from taskiq import AsyncBroker

from adapters.connections.tasks import ConnectionTasks
from adapters.connections.wiring import build_connections
from adapters.http.connections.controller import ConnectionsApi, connections_router
from adapters.http.imports.handlers import import_handlers
from adapters.imports.tasks import RELAY_LOCK, import_catalog, relaying
from adapters.imports.wiring import ImportServices, build_import_services
from adapters.mail.factory import create_mailer
from adapters.tasks.catalog import TaskCatalog
from adapters.tasks.housekeeping import declare_housekeeping
from adapters.tasks.leader import leader_lock
from application.connections import Connections
from application.errors import RecordNotFound
from ops.bootstrap import Runtime


@dataclass(frozen=True)
class Background:
    imports: ImportServices
    connections: Connections
    connection_tasks: ConnectionTasks
    catalog: TaskCatalog

    def http_handlers(self) -> tuple[Router, ...]:
        api = ConnectionsApi(self.connections, self.connection_tasks.request_sync)
        return (*import_handlers(self.imports), connections_router(api))

    def register(self, broker: AsyncBroker) -> dict[str, Any]:
        """Bind every task to ``broker``; after this, work can be enqueued."""
        tasks = self.catalog.register(broker)
        self.connection_tasks.bind(tasks)
        return tasks

    @contextlib.asynccontextmanager
    async def relaying(self, runtime: Runtime, tasks: dict[str, Any]) -> AsyncIterator[None]:
        """Run the import relay (requests recorded as events → tasks) until the block exits;
        a leader lock keeps it to one publisher however many processes run it."""
        settings = runtime.settings
        lock = leader_lock(RELAY_LOCK, settings.sync_url, settings.var_dir)
        async with relaying(self.imports, tasks, lock):
            yield


def build_background(runtime: Runtime) -> Background:
    mailer = create_mailer(runtime.settings.smtp_url)
    imports = build_import_services(runtime, mailer=mailer)
    connections, schedule = build_connections(runtime, import_lines=imports.lines)
    connection_tasks = ConnectionTasks(connections, schedule, mailer, _email_of(runtime))
    catalog = import_catalog(imports)
    connection_tasks.declare(catalog)
    declare_housekeeping(catalog, runtime.engine)
    return Background(
        imports=imports,
        connections=connections,
        connection_tasks=connection_tasks,
        catalog=catalog,
    )


def _email_of(runtime: Runtime) -> Callable[[UUID], str | None]:
    def email_of(user_id: UUID) -> str | None:
        try:
            return runtime.users.get(user_id).email
        except RecordNotFound:
            return None

    return email_of
