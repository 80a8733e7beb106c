"""The hourly housekeeping forgets expired sign-in records and old idempotency keys, only those."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from adapters.http.auth.tables import (
    auth_login_failures,
    auth_refresh_tokens,
    auth_sessions,
    http_idempotency,
)
from adapters.persistence.engine import create_sync_engine
from adapters.persistence.migrate import migrate
from adapters.persistence.tables import idempotency_keys
from adapters.tasks.broker import create_broker
from adapters.tasks.catalog import TaskCatalog
from adapters.tasks.housekeeping import (
    HOUSEKEEPING_CRON,
    HOUSEKEEPING_TASK,
    declare_housekeeping,
    forget_expired_records,
)

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
HOUR_MS = 3_600_000


@pytest.fixture
def engine(database_url: URL) -> Iterator[Engine]:
    migrate(database_url)
    engine = create_sync_engine(database_url)
    yield engine
    engine.dispose()


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def _seed(engine: Engine) -> dict[str, Any]:
    """Of each kind, one row past its keeping time ("old") and one within it ("new")."""
    now = _ms(NOW)
    ids = {name: uuid.uuid4() for name in ("ended", "live", "owner")}
    with engine.begin() as conn:
        conn.execute(sa.insert(auth_sessions), [
            {"id": ids["ended"], "user_id": ids["owner"], "created_ms": now - 91 * 24 * HOUR_MS,
             "expires_ms": now - HOUR_MS},
            {"id": ids["live"], "user_id": ids["owner"], "created_ms": now - HOUR_MS,
             "expires_ms": now + 24 * HOUR_MS},
        ])  # fmt: skip
        conn.execute(sa.insert(auth_refresh_tokens), [
            # unexpired, but its session has ended: goes with it
            {"token_hash": b"a" * 32, "session_id": ids["ended"], "issued_ms": now - 2 * HOUR_MS,
             "expires_ms": now + HOUR_MS},
            {"token_hash": b"b" * 32, "session_id": ids["live"], "issued_ms": now - 3 * HOUR_MS,
             "expires_ms": now - HOUR_MS, "spent_ms": now - 2 * HOUR_MS},  # expired
            {"token_hash": b"c" * 32, "session_id": ids["live"], "issued_ms": now - HOUR_MS,
             "expires_ms": now + HOUR_MS, "spent_ms": now - HOUR_MS},  # spent, kept
        ])  # fmt: skip
        conn.execute(sa.insert(auth_login_failures), [
            {"subject": "account:old", "failed_ms": now - 25 * HOUR_MS},
            {"subject": "account:new", "failed_ms": now - HOUR_MS},
        ])  # fmt: skip
        conn.execute(sa.insert(http_idempotency), [
            {"owner_id": ids["owner"], "key": key, "request_hash": b"h" * 32, "state": "done",
             "lease_until_ms": made, "created_ms": made}
            for key, made in (("old", now - 25 * HOUR_MS), ("new", now - HOUR_MS))
        ])  # fmt: skip
        conn.execute(sa.insert(idempotency_keys), [
            {"owner_id": ids["owner"].bytes, "key": key, "request_hash": b"h", "result": b"{}",
             "position": 1, "created_at": made.replace(tzinfo=None)}
            for key, made in (("old", NOW - timedelta(hours=25)), ("new", NOW - timedelta(hours=1)))
        ])  # fmt: skip
    return ids


def _left(engine: Engine) -> dict[str, set[Any]]:
    with engine.connect() as conn:
        return {
            "sessions": set(conn.scalars(sa.select(auth_sessions.c.id))),
            "refresh": set(conn.scalars(sa.select(auth_refresh_tokens.c.token_hash))),
            "failures": set(conn.scalars(sa.select(auth_login_failures.c.subject))),
            "responses": set(conn.scalars(sa.select(http_idempotency.c.key))),
            "claims": set(conn.scalars(sa.select(idempotency_keys.c.key))),
        }


def test_only_what_has_expired_is_forgotten(engine: Engine) -> None:
    ids = _seed(engine)

    forgotten = forget_expired_records(engine, NOW)

    assert _left(engine) == {
        "sessions": {ids["live"]},
        "refresh": {b"c" * 32},
        "failures": {"account:new"},
        "responses": {"new"},
        "claims": {"new"},
    }
    assert forgotten == {
        "auth_login_failures": 1,
        "auth_refresh_tokens": 2,
        "auth_sessions": 1,
        "http_idempotency": 1,
        "idempotency_keys": 1,
    }


def test_a_second_sweep_finds_nothing_more(engine: Engine) -> None:
    _seed(engine)
    forget_expired_records(engine, NOW)

    assert set(forget_expired_records(engine, NOW).values()) == {0}


async def test_the_sweep_is_a_scheduled_task_that_runs_on_a_broker(engine: Engine) -> None:
    _seed(engine)
    catalog = TaskCatalog()
    declare_housekeeping(catalog, engine, clock=lambda: NOW)
    broker = create_broker("memory://")
    tasks = catalog.register(broker)
    await broker.startup()
    try:
        schedule = tasks[HOUSEKEEPING_TASK].labels["schedule"]
        result = await (await tasks[HOUSEKEEPING_TASK].kiq()).wait_result(timeout=10)
    finally:
        await broker.shutdown()

    assert [entry["cron"] for entry in schedule] == [HOUSEKEEPING_CRON]
    assert not result.is_err
    assert result.return_value["auth_sessions"] == 1
    assert _left(engine)["claims"] == {"new"}
