"""``fintrack serve``'s application: the uvicorn factory (``ops.serve:create``) and its lifespan.

Each uvicorn worker process calls ``create()``: it reads the settings, wires the runtime (write
side), the read engine and the HTTP services, and returns the Litestar app. In the embedded default
(SQLite, ``memory://`` broker) the lifespan also runs the projector (a thread; a file lock keeps it
to one per database even with several workers) and the task scheduler in-process; with MariaDB
those run as their own processes (``fintrack projector``, ``fintrack worker``, ``fintrack
scheduler``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from argon2 import Parameters
from argon2.profiles import RFC_9106_LOW_MEMORY
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine
from taskiq import AsyncBroker

from adapters.http.app import HttpOptions, create_app, sql_http_services
from adapters.http.ledger.services import LedgerCommands, LedgerQueries
from adapters.http.readiness import broker_check, database_check, projector_check
from adapters.readmodel.reader import create_read_engine
from adapters.readmodel.registry import writer_names
from adapters.readmodel.runner import run_projector
from adapters.settings import Settings
from ops.background import Background, build_background
from ops.bootstrap import Runtime, bootstrap
from ops.heap import freeze_startup_heap

log = logging.getLogger(__name__)
SPA_DIR = Path("web/dist")
POOL_SIZE = 10  # write engine pool; the command thread limiter matches it
SCHEDULER_LOCK = "fintrack-scheduler"


def create() -> Litestar:
    """The uvicorn app factory (``uvicorn ops.serve:create --factory``)."""
    return build_app(Settings.from_env())


def build_app(
    settings: Settings,
    *,
    password_profile: Parameters = RFC_9106_LOW_MEMORY,
    embedded: bool | None = None,
    options: HttpOptions | None = None,
    runtime: Runtime | None = None,
    read_engine: AsyncEngine | None = None,
) -> Litestar:
    """The whole server for ``settings``. ``embedded`` (default: SQLite + memory broker) also
    runs the projector and scheduler inside this process. Tests may pass their own ``runtime``
    and ``read_engine``; the app's lifespan closes both."""
    if embedded is None:
        embedded = settings.is_embedded and settings.broker_url.startswith("memory://")
    if runtime is None:
        if settings.is_embedded:
            from adapters.persistence.migrate import migrate

            migrate(settings.sync_url)  # the embedded default sets itself up
        runtime = bootstrap(settings, password_profile=password_profile)
    read_engine = read_engine or create_read_engine(settings, pool_size=POOL_SIZE)
    projections = writer_names(runtime.keyring)
    commands = LedgerCommands(
        runtime.accounts, runtime.categories, runtime.transactions, threads=POOL_SIZE
    )
    services = sql_http_services(
        read_engine,
        runtime.users,
        ledger_commands=commands,
        ledger_queries=LedgerQueries(read_engine, runtime.keyring, runtime.secret_key),
        readiness={
            "database": database_check(read_engine),
            "projector": projector_check(read_engine, projections),
            "broker": broker_check(settings.broker_url),
        },
    )
    background = build_background(runtime)
    lifespan = ServerLifespan(runtime, read_engine, background, commands, embedded=embedded)
    base = options or HttpOptions()
    options = replace(
        base,
        secret=base.secret if base.secret is not None else runtime.secret_key,
        api_handlers=(*base.api_handlers, *background.http_handlers()),
        lifespan=(*base.lifespan, lifespan),
        spa_dir=base.spa_dir or SPA_DIR,
    )
    return create_app(settings, services, options=options)


@dataclass
class ServerLifespan:
    """Closes what ``build_app`` opened; in embedded mode runs the projector and scheduler."""

    runtime: Runtime
    read_engine: AsyncEngine
    background: Background
    commands: LedgerCommands
    embedded: bool
    _stop: threading.Event = field(default_factory=threading.Event)

    @contextlib.asynccontextmanager
    async def __call__(self, _app: Litestar) -> AsyncIterator[None]:
        projector: threading.Thread | None = None
        scheduler: asyncio.Task[None] | None = None
        stop_scheduler = asyncio.Event()
        broker: AsyncBroker | None = None
        if self.embedded:
            projector = threading.Thread(
                target=self._project, name="fintrack-projector", daemon=True
            )
            projector.start()
            broker, scheduler = await self._start_scheduler(stop_scheduler)
        freeze_startup_heap()  # later full collections skip the app: no 50-100 ms request pauses
        try:
            yield
        finally:
            self._stop.set()
            stop_scheduler.set()
            if scheduler is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(scheduler, timeout=5)
            if broker is not None:
                with contextlib.suppress(Exception):
                    await broker.shutdown()
            if projector is not None:
                await asyncio.to_thread(projector.join, 10)
            await asyncio.to_thread(self.commands.close)  # commands under way end first
            await self.read_engine.dispose()
            self.runtime.close()

    def _project(self) -> None:
        try:
            run_projector(self.runtime, self._stop)
        except Exception:
            log.exception("the embedded projector stopped")

    async def _start_scheduler(self, stop: asyncio.Event) -> tuple[AsyncBroker, asyncio.Task[None]]:
        """The in-process broker with every task registered, the import relay and the
        scheduler (both leader-elected, so several uvicorn workers run one of each)."""
        from adapters.tasks.broker import create_broker
        from adapters.tasks.leader import leader_lock
        from adapters.tasks.scheduler import create_scheduler, run_scheduler

        settings = self.runtime.settings
        broker = create_broker(settings.broker_url)
        tasks = self.background.register(broker)
        await broker.startup()
        lock = leader_lock(SCHEDULER_LOCK, settings.sync_url, settings.var_dir)

        async def run() -> None:
            async with self.background.relaying(self.runtime, tasks):
                await run_scheduler(create_scheduler(broker), lock, stop=stop, handle_signals=False)

        return broker, asyncio.create_task(run())
