"""The import resources over HTTP (SQLite, real stores and services, memory:// broker)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.http.app import HttpOptions, create_app, sql_http_services
from adapters.http.imports import import_handlers
from adapters.imports.tasks import start_embedded_imports
from adapters.persistence.migrate import migrate
from adapters.tasks.broker import create_broker
from tests.integration.imports.conftest import World, make_world
from tests.integration.ledger.conftest import settings_for

pytestmark = pytest.mark.timeout(60)
PASSWORD = "a long and unusual passphrase"
CSV = b"Date,Amount,Payee\n2024-01-01,-1.00,Kiosk\n2024-01-01,-1.00,Kiosk\n2024-01-02,x,Bad\n"
MAPPING = {
    "date_column": "Date",
    "amount_column": "Amount",
    "date_format": "%Y-%m-%d",
    "payee_column": "Payee",
}
Client = AsyncTestClient[Any]


@pytest.fixture
async def http(
    sqlite_url: URL, tmp_path: Path
) -> AsyncIterator[tuple[Client, World, dict[str, str]]]:
    settings = settings_for(sqlite_url, tmp_path / "var")
    migrate(settings.sync_url)
    world = make_world(settings)  # registers ana@example.org
    engine = create_async_engine(settings.async_url)
    app = create_app(
        settings,
        sql_http_services(engine, world.runtime.users),
        options=HttpOptions(secret=b"s" * 32, api_handlers=import_handlers(world.services)),
    )
    broker = create_broker("memory://")
    await broker.startup()
    try:
        async with start_embedded_imports(world.services, broker), AsyncTestClient(app) as client:
            login = await client.post(
                "/api/v1/auth/login", json={"email": "ana@example.org", "password": PASSWORD}
            )
            assert login.status_code == 200, login.text
            yield client, world, {"Authorization": f"Bearer {login.json()['access_token']}"}
    finally:
        await engine.dispose()
        world.runtime.close()


async def _until_final(client: Client, auth: dict[str, str], import_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 20
    while True:
        body: dict[str, Any] = (
            await client.get(f"/api/v1/imports/{import_id}", headers=auth)
        ).json()
        if body["status"] in ("done", "failed"):
            return body
        assert time.monotonic() < deadline
        await asyncio.sleep(0.05)


async def test_an_upload_is_accepted_then_shows_its_counts_and_line_errors(
    http: tuple[Client, World, dict[str, str]],
) -> None:
    client, world, auth = http
    account = world.account()
    answer = await client.post(
        f"/api/v1/accounts/{account}/imports",
        files={"file": ("jan.csv", CSV, "text/csv")},
        data={"format": "csv", "mapping": json.dumps(MAPPING)},
        headers=auth,
    )
    assert answer.status_code == 202, answer.text
    body = await _until_final(client, auth, answer.json()["id"])
    assert body["status"] == "done"
    assert {k: body[k] for k in ("lines_seen", "lines_new", "lines_duplicate", "lines_failed")} == {
        "lines_seen": 3, "lines_new": 2, "lines_duplicate": 0, "lines_failed": 1,
    }  # fmt: skip
    assert body["errors"][0]["line"] == 4
    remembered = await client.get(f"/api/v1/accounts/{account}/csv-mapping", headers=auth)
    assert remembered.json()["remembered"] is True
    reverted = await client.post(f"/api/v1/imports/{body['id']}/revert", headers=auth)
    assert (reverted.status_code, reverted.json()["status"]) == (200, "reverted")


async def test_an_upload_over_the_limit_is_a_413(
    http: tuple[Client, World, dict[str, str]],
) -> None:
    client, world, auth = http
    account = world.account()
    big = b"x" * (64 * 1024 * 1024 + 10)
    answer = await client.post(
        f"/api/v1/accounts/{account}/imports", files={"file": ("big.csv", big)}, headers=auth
    )
    assert answer.status_code == 413


async def test_another_users_import_and_account_are_not_found(
    http: tuple[Client, World, dict[str, str]],
) -> None:
    client, world, auth = http
    other = world.runtime.users.register("bo@example.org", PASSWORD)
    outcome = world.runtime.accounts.open(
        other, name="B", kind="checking", currency="EUR", opening_balance="0",
        opened_on=__import__("datetime").date(2020, 1, 1),
    )  # fmt: skip
    theirs = UUID(outcome.answer["id"])
    upload = await client.post(
        f"/api/v1/accounts/{theirs}/imports", files={"file": ("a.csv", CSV)}, headers=auth
    )
    assert upload.status_code == 404
    batch = world.services.imports.request(other, theirs, CSV)
    assert (await client.get(f"/api/v1/imports/{batch}", headers=auth)).status_code == 404


async def test_rules_can_be_created_listed_and_removed(
    http: tuple[Client, World, dict[str, str]],
) -> None:
    client, _, auth = http
    created = await client.post(
        "/api/v1/rules",
        json={"name": "coffee", "contains": {"payee": "cafe"}, "tags": ["coffee"]},
        headers=auth,
    )
    assert created.status_code == 201, created.text
    rule_id = created.json()["id"]
    listed = (await client.get("/api/v1/rules", headers=auth)).json()["items"]
    assert [r["id"] for r in listed] == [rule_id]
    bad = await client.post(
        "/api/v1/rules", json={"name": "evil", "matches": {"payee": "(a+)+$"}, "tags": ["x"]},
        headers=auth,
    )  # fmt: skip
    assert bad.status_code == 422
    removed = await client.delete(f"/api/v1/rules/{rule_id}", headers=auth)
    assert removed.status_code == 204
