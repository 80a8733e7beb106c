"""The whole server in-process over a real database: runtime, read engine, app, projector thread.

``ledger_app`` runs on MariaDB (the production database); the projector follows the log in a
thread as ``fintrack projector`` would, so queries with ``min_position`` see the commands' effects.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from adapters.http.app import HttpOptions
from adapters.readmodel.reader import create_read_engine
from adapters.readmodel.runner import run_projector
from ops.bootstrap import Runtime
from ops.serve import build_app
from tests.integration.readmodel.read_runtime import open_runtime

PASSWORD = "a long and unusual passphrase"
Client = AsyncTestClient[Any]


@dataclass
class Server:
    runtime: Runtime
    app: Litestar
    read_engine: AsyncEngine
    stop: threading.Event
    projector: threading.Thread

    def close(self) -> None:
        self.stop.set()
        self.projector.join(10)
        self.runtime.close()


def start_server(url: URL, var_dir: Path, *, null_pool: bool = False, **options: Any) -> Server:
    """Migrated database, runtime, app and a running projector thread (``close()`` ends them)."""
    runtime = open_runtime(url, var_dir)
    settings = runtime.settings
    engine = (
        create_async_engine(settings.async_url, poolclass=NullPool)
        if null_pool
        else create_read_engine(settings)
    )
    app = build_app(
        settings,
        embedded=False,
        runtime=runtime,
        read_engine=engine,
        options=HttpOptions(client_requests_per_minute=100_000, **options),
    )
    stop = threading.Event()
    thread = threading.Thread(
        target=run_projector, args=(runtime, stop), kwargs={"idle_poll": 0.01}, daemon=True
    )
    thread.start()
    return Server(runtime, app, engine, stop, thread)


@pytest.fixture
def server(mariadb_url: URL, tmp_path: Path) -> Iterator[Server]:
    started = start_server(mariadb_url, tmp_path / "var")
    try:
        yield started
    finally:
        started.close()


@pytest.fixture
async def client(server: Server) -> AsyncIterator[Client]:
    # The app's lifespan closes the runtime; the fixture's close() tolerates that.
    async with AsyncTestClient(app=server.app) as client:
        yield client


async def sign_up(client: Client, email: str = "ann@example.org") -> dict[str, str]:
    """Register and log in; the bearer header for that user."""
    response = await client.post(
        "/api/v1/auth/register", json={"email": email, "password": PASSWORD}
    )
    assert response.status_code == 201, response.text
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def open_account(client: Client, auth: dict[str, str], **fields: Any) -> dict[str, Any]:
    body = {
        "name": "Main",
        "kind": "checking",
        "currency": "EUR",
        "opening_balance": "100.00",
        "opened_on": "2026-01-01",
        **fields,
    }
    response = await client.post("/api/v1/accounts", json=body, headers=auth)
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def record(
    client: Client, auth: dict[str, str], account_id: str, amount: str, **fields: Any
) -> dict[str, Any]:
    body = {"account_id": account_id, "amount": amount, "booked_on": "2026-01-05", **fields}
    response = await client.post("/api/v1/transactions", json=body, headers=auth)
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer
