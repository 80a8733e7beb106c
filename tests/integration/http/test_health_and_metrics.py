"""Liveness, readiness from injected checks, and Prometheus metrics with grouped paths."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable

import pytest
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.http import health
from adapters.http.app import HttpOptions, create_app, sql_http_services
from adapters.settings import Settings
from tests.integration.http.conftest import SECRET, Client
from tests.integration.http.fakes import FakeUserAccounts

Check = Callable[[], Awaitable[bool]]


async def ok() -> bool:
    return True


async def down() -> bool:
    return False


async def broken() -> bool:
    raise ConnectionError("db.internal:3306 refused")


async def hangs() -> bool:
    await asyncio.sleep(60)
    return True


def _app(settings: Settings, engine: AsyncEngine, checks: dict[str, Check]) -> Litestar:
    services = sql_http_services(engine, FakeUserAccounts(), readiness=checks)
    return create_app(settings, services, options=HttpOptions(secret=SECRET))


async def test_live_answers_without_a_token(client: Client) -> None:
    response = await client.get("/health/live")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


async def test_ready_when_every_check_passes(settings: Settings, engine: AsyncEngine) -> None:
    from litestar.testing import AsyncTestClient

    app = _app(settings, engine, {"database": ok, "projector_lag": ok, "broker": ok})
    async with AsyncTestClient(app=app) as client:
        response = await client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "projector_lag": "ok", "broker": "ok"},
    }


async def test_not_ready_names_the_failing_checks_without_details(
    settings: Settings, engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from litestar.testing import AsyncTestClient

    monkeypatch.setattr(health, "CHECK_TIMEOUT_S", 0.05)
    app = _app(settings, engine, {"database": broken, "projector_lag": down, "broker": hangs})
    async with AsyncTestClient(app=app) as client:
        response = await client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "failing",
        "projector_lag": "failing",
        "broker": "failing",
    }
    assert "3306" not in response.text


async def test_metrics_group_paths_so_ids_do_not_become_labels(client: Client) -> None:
    for _ in range(3):
        await client.delete(f"/api/v1/auth/tokens/{uuid.uuid4()}")
    metrics = await client.get("/metrics")
    assert metrics.status_code == 200
    assert "fintrack_requests_total" in metrics.text
    lines = [line for line in metrics.text.splitlines() if "/api/v1/auth/tokens/" in line]
    assert lines
    assert all('path="/api/v1/auth/tokens/{token_id}"' in line for line in lines)
    assert any('status_code="401"' in line for line in lines)  # not mislabelled as 200
