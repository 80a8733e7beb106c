"""Two schedulers started, one effective: ticks come from the leader only, then from the standby."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from adapters.tasks.broker import create_broker
from adapters.tasks.catalog import TaskCatalog
from adapters.tasks.leader import leader_lock
from adapters.tasks.scheduler import create_scheduler, run_scheduler

pytestmark = pytest.mark.timeout(30)


@pytest.fixture(params=["file", "mariadb"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> URL:
    if request.param == "mariadb":
        url: URL = request.getfixturevalue("mariadb_url")
        return url
    return sa.make_url(f"sqlite:///{tmp_path / 'fintrack.db'}")


async def _start(
    name: str, ticks: list[str], database: URL, var_dir: Path
) -> tuple[asyncio.Event, asyncio.Task[None]]:
    catalog = TaskCatalog()

    @catalog.task("tick", schedule=({"interval": 1, "schedule_id": "tick"},))
    async def tick() -> None:
        ticks.append(name)

    broker = create_broker("memory://")
    catalog.register(broker)
    await broker.startup()
    stop = asyncio.Event()
    lock = leader_lock("fintrack-scheduler", database, var_dir)
    running = asyncio.create_task(
        run_scheduler(
            create_scheduler(broker),
            lock,
            standby_poll=0.5,
            check_every=0.2,
            stop=stop,
            handle_signals=False,
        )
    )
    return stop, running


async def test_two_started_schedulers_tick_from_one_and_the_standby_takes_over(
    database: URL, tmp_path: Path
) -> None:
    ticks: list[str] = []
    stop_a, run_a = await _start("a", ticks, database, tmp_path)
    await asyncio.sleep(0.3)  # let "a" win the election
    stop_b, run_b = await _start("b", ticks, database, tmp_path)
    try:
        await asyncio.sleep(3.5)
        assert len(ticks) >= 3
        assert set(ticks) == {"a"}

        stop_a.set()
        await asyncio.wait_for(run_a, timeout=5)
        handed_over = len(ticks)
        await asyncio.sleep(3.5)
        assert len(ticks) - handed_over >= 2
        assert set(ticks[handed_over:]) == {"b"}
    finally:
        stop_a.set()
        stop_b.set()
        await asyncio.wait_for(asyncio.gather(run_a, run_b), timeout=5)
