"""The readiness checks ``/health/ready`` runs: database, projector lag, broker.

Each is an async callable returning True when healthy (``health.ReadinessCheck``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.http.health import ReadinessCheck
from adapters.persistence.tables import events, tracking
from adapters.readmodel.projector import tracking_name

MAX_PROJECTOR_LAG = 10_000  # events the views may trail the log by and still count as ready


def database_check(engine: AsyncEngine) -> ReadinessCheck:
    async def check() -> bool:
        async with engine.connect() as conn:
            answer: object = await conn.scalar(sa.text("SELECT 1"))
            return answer == 1

    return check


async def projector_lag(engine: AsyncEngine, projections: Sequence[str]) -> int:
    """The log's last position minus the slowest projection's tracking position."""
    names = [tracking_name(p) for p in projections]
    async with engine.connect() as conn:
        head = int(await conn.scalar(sa.select(sa.func.max(events.c.id))) or 0)
        rows = (
            await conn.execute(
                sa.select(tracking.c.application_name, tracking.c.notification_id).where(
                    tracking.c.application_name.in_(names)
                )
            )
        ).all()
    reached = {name: int(position) for name, position in rows}
    slowest = min((reached.get(name, 0) for name in names), default=head)
    return max(head - slowest, 0)


def projector_check(
    engine: AsyncEngine, projections: Sequence[str], max_lag: int = MAX_PROJECTOR_LAG
) -> ReadinessCheck:
    async def check() -> bool:
        return await projector_lag(engine, projections) <= max_lag

    return check


def broker_check(broker_url: str) -> ReadinessCheck:
    """The in-process broker is always there; RabbitMQ must accept a TCP connection."""

    async def check() -> bool:
        if broker_url.startswith("memory://"):
            return True
        parts = urlsplit(broker_url)
        port = parts.port or (5671 if parts.scheme == "amqps" else 5672)
        _reader, writer = await asyncio.open_connection(parts.hostname or "localhost", port)
        writer.close()
        await writer.wait_closed()
        return True

    return check
