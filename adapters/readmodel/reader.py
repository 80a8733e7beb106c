"""The async side of the read model: the engine queries run on, and read-your-writes.

``create_read_engine`` opens an ``AsyncEngine`` (asyncmy on MariaDB, aiosqlite on SQLite) from
the settings. ``wait_for_position`` lets a query see at least a given log position: it polls the
projection's tracking row with short sleeps and raises ``ProjectionLagging`` after ``timeout``.
"""

from __future__ import annotations

import asyncio
from time import monotonic

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from adapters.persistence.idle_ping import ping_when_idle
from adapters.persistence.tables import tracking
from adapters.readmodel.projector import tracking_name
from adapters.settings import Settings
from projections.errors import InvalidQuery, ProjectionLagging

DEFAULT_TIMEOUT = 2.0
_POLL_START, _POLL_MAX = 0.005, 0.05


def create_read_engine(settings: Settings, *, pool_size: int = 10) -> AsyncEngine:
    url = settings.async_url
    if url.get_backend_name() == "sqlite":
        return create_async_engine(url, connect_args={"timeout": 30})
    # Autocommit: each SELECT holds its tables' metadata locks only while it runs. A query of
    # several SELECTs in one transaction would hold them throughout and could deadlock against a
    # replay's RENAME TABLE (MariaDB picks the reader as the victim); this way it just waits.
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_recycle=3600,
        isolation_level="AUTOCOMMIT",
        skip_autocommit_rollback=True,  # nothing to roll back: one round trip less per checkin
    )
    ping_when_idle(engine.sync_engine.pool, engine.dialect)  # not a round trip per query
    return engine


async def projection_position(engine: AsyncEngine, projection: str = "transactions") -> int:
    async with engine.connect() as conn:
        found = await conn.scalar(
            sa.select(tracking.c.notification_id).where(
                tracking.c.application_name == tracking_name(projection)
            )
        )
    return int(found or 0)


async def wait_for_position(
    engine: AsyncEngine,
    position: int,
    *,
    projection: str = "transactions",
    timeout: float = DEFAULT_TIMEOUT,
) -> int:
    """Return the projection's position once it is ``>= position``; else ``ProjectionLagging``."""
    if position < 0:
        raise InvalidQuery("min_position", "must not be negative")
    deadline = monotonic() + timeout
    poll = _POLL_START
    while True:
        reached = await projection_position(engine, projection)
        if reached >= position:
            return reached
        remaining = deadline - monotonic()
        if remaining <= 0:
            raise ProjectionLagging(projection, position, reached)
        await asyncio.sleep(min(poll, remaining))
        poll = min(poll * 2, _POLL_MAX)
