"""``fintrack worker`` and ``fintrack scheduler``: the background processes beside MariaDB and
RabbitMQ (the embedded ``fintrack serve`` runs both in-process instead)."""

from __future__ import annotations

import asyncio

import click

from adapters.settings import Settings
from ops.bootstrap import Runtime
from ops.cli_support import operator_errors, runtime

SCHEDULER_LOCK = "fintrack-scheduler"


@click.command()
@click.pass_obj
@operator_errors
def worker(settings: Settings) -> None:
    """Run background tasks (imports, bank syncs, e-mail) and the import relay, until SIGTERM."""
    if settings.broker_url.startswith("memory://"):
        raise click.ClickException(
            "fintrack worker needs FINTRACK_BROKER_URL=amqp://…; with the in-process broker "
            "`fintrack serve` runs the tasks itself"
        )
    with runtime(settings) as wired:
        asyncio.run(_work(wired))


@click.command()
@click.pass_obj
@operator_errors
def scheduler(settings: Settings) -> None:
    """Enqueue periodic work (bank syncs); one scheduler leads, others stand by, until SIGTERM."""
    with runtime(settings) as wired:
        asyncio.run(_schedule(wired))


async def _work(wired: Runtime) -> None:
    from adapters.tasks.broker import create_broker
    from adapters.tasks.worker import run_worker
    from ops.background import build_background

    background = build_background(wired)
    broker = create_broker(wired.settings.broker_url)
    tasks = background.register(broker)
    stop = asyncio.Event()
    async with background.relaying(wired, tasks):
        await run_worker(broker, stop=stop)


async def _schedule(wired: Runtime) -> None:
    from adapters.tasks.broker import create_broker
    from adapters.tasks.leader import leader_lock
    from adapters.tasks.scheduler import create_scheduler, run_scheduler
    from ops.background import build_background

    settings = wired.settings
    broker = create_broker(settings.broker_url)
    build_background(wired).register(broker)
    await broker.startup()
    try:
        lock = leader_lock(SCHEDULER_LOCK, settings.sync_url, settings.var_dir)
        await run_scheduler(create_scheduler(broker), lock)
    finally:
        await broker.shutdown()
