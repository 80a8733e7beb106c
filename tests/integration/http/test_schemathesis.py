"""Generated requests against every documented operation: never a 5xx (bounded: 20 per operation).

A sync test: schemathesis drives the ASGI app from its own event loop, so the engine uses
``NullPool`` (no connection outlives the loop that opened it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from litestar.testing import TestClient
from schemathesis.core.result import Ok
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from adapters.http.app import HttpOptions, create_app, sql_http_services
from adapters.persistence.metadata import metadata
from adapters.settings import Settings
from tests.integration.http.conftest import HTTP_TABLES, PASSWORD, SECRET, real_users


def test_no_generated_request_gets_a_server_error(tmp_path: Path) -> None:
    database = tmp_path / "fuzz.db"
    sync_engine = sa.create_engine(f"sqlite:///{database}")
    metadata.create_all(sync_engine, tables=HTTP_TABLES)
    sync_engine.dispose()
    users, ledger = real_users()
    engine = create_async_engine(f"sqlite+aiosqlite:///{database}", poolclass=NullPool)
    app = create_app(
        Settings(secret_key_file=tmp_path / "secret.key", var_dir=tmp_path),
        sql_http_services(engine, users),
        options=HttpOptions(secret=SECRET, client_requests_per_minute=10_000),
    )
    with TestClient(app=app) as client:
        client.post(
            "/api/v1/auth/register", json={"email": "fuzz@example.org", "password": PASSWORD}
        )
        token = client.post(
            "/api/v1/auth/login", json={"email": "fuzz@example.org", "password": PASSWORD}
        ).json()["access_token"]

    schema = schemathesis.openapi.from_asgi("/schema/openapi.json", app)
    failures: list[str] = []
    seen: list[int] = []

    for operation in schema.get_all_operations():
        assert isinstance(operation, Ok), operation
        api_operation = operation.ok()
        if api_operation.path == "/api/v1/auth/logout":
            continue  # would end the fuzzing session itself; covered by its own tests

        @given(case=api_operation.as_strategy())
        @settings(
            max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def run(case: Any) -> None:
            headers = {"Authorization": f"Bearer {token}"}
            response = case.call(headers=headers)
            seen.append(response.status_code)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.status_code}")

        run()
    ledger.close()
    assert len(seen) >= 100  # it really ran
    assert failures == []
