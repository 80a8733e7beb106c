"""The hourly housekeeping task: forget what is kept only for a while.

Idempotency claims of ledger commands (``IDEMPOTENCY_KEPT``, matching the HTTP layer's stored
responses) and expired sign-in records (``adapters.http.expiry``). Run by whichever worker takes
the task the leader-elected scheduler enqueues; every statement is a range delete, so running it
twice, or late, is harmless.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

import anyio.to_thread
from sqlalchemy.engine import Engine

from adapters.http.expiry import RESPONSES_KEPT, forget_expired_http_records
from adapters.persistence.idempotency_store import forget_claims_before
from adapters.persistence.transaction import writing
from adapters.tasks.catalog import TaskCatalog

HOUSEKEEPING_TASK = "forget_expired_records"
HOUSEKEEPING_CRON = "17 * * * *"  # hourly, off the hour
IDEMPOTENCY_KEPT = RESPONSES_KEPT
logger = logging.getLogger(__name__)


def forget_expired_records(engine: Engine, now: datetime) -> dict[str, int]:
    """One transaction: delete everything expired at ``now``; the counts per table."""
    with writing(engine) as conn:
        forgotten = forget_expired_http_records(conn, int(now.timestamp() * 1000))
        forgotten["idempotency_keys"] = forget_claims_before(conn, now - IDEMPOTENCY_KEPT)
    return forgotten


def declare_housekeeping(
    catalog: TaskCatalog, engine: Engine, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> None:
    async def forget_expired() -> dict[str, int]:
        forgotten = await anyio.to_thread.run_sync(forget_expired_records, engine, clock())
        logger.info("housekeeping forgot %s", forgotten)
        return forgotten

    catalog.task(
        HOUSEKEEPING_TASK,
        schedule=({"cron": HOUSEKEEPING_CRON, "schedule_id": "housekeeping"},),
    )(forget_expired)
