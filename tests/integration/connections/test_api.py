"""``/api/v1/connections`` over the real app (auth, problem details) and the real use cases."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.http.app import HttpOptions, create_app, sql_http_services
from adapters.http.connections.controller import ConnectionsApi, connections_router
from tests.fakes.simplefin_server import FakeSimpleFin
from tests.integration.connections.conftest import World

PASSWORD = "a long and unusual passphrase"
Client = AsyncTestClient[Any]


@pytest.fixture
async def client(world: World) -> AsyncIterator[Client]:
    engine = create_async_engine(world.runtime.settings.async_url)
    api = ConnectionsApi(world.connections, world.tasks.request_sync)
    app = create_app(
        world.runtime.settings,
        sql_http_services(engine, world.runtime.users),
        options=HttpOptions(secret=b"s" * 32, api_handlers=(connections_router(api),)),
    )
    async with AsyncTestClient(app=app) as client:
        yield client
    await engine.dispose()


async def _sign_in(client: Client, world: World, email: str = "ada@example.org") -> dict[str, str]:
    registered = await client.post(
        "/api/v1/auth/register", json={"email": email, "password": PASSWORD}
    )
    assert registered.status_code == 201, registered.text
    world.user_id = world.runtime.users.id_for_email(email)
    login = await client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


async def test_a_simplefin_connection_is_created_linked_synced_and_shown(
    client: Client, world: World, simplefin: FakeSimpleFin
) -> None:
    auth = await _sign_in(client, world)
    account = world.account(currency="USD")
    simplefin.add("ACT-1", "TRN-1", world.clock.today(), "-3.50", "Coffee")

    created = await client.post(
        "/api/v1/connections",
        json={
            "provider": "simplefin",
            "name": "Credit union",
            "setup": {"setup_token": simplefin.setup_token()},
            "sync_interval_minutes": 120,
        },
        headers=auth,
    )
    assert created.status_code == 201, created.text
    connection_id = created.json()["id"]
    banks = await client.get(f"/api/v1/connections/{connection_id}/bank-accounts", headers=auth)
    assert [b["id"] for b in banks.json()] == ["ACT-1"]
    linked = await client.post(
        f"/api/v1/connections/{connection_id}/links",
        json={"remote_id": "ACT-1", "account_id": str(account)},
        headers=auth,
    )
    assert linked.status_code == 200, linked.text
    queued = await client.post(f"/api/v1/connections/{connection_id}/sync", headers=auth)
    assert queued.status_code == 202
    assert world.enqueued.kicked[-1] == (connection_id, str(world.user_id))
    await world.sync(UUID(connection_id))

    shown = await client.get(f"/api/v1/connections/{connection_id}", headers=auth)
    listed = await client.get("/api/v1/connections", headers=auth)

    body = shown.json()
    assert body["status"] == "active"
    assert body["lines_new"] == 1
    assert body["sync_interval_minutes"] == 120
    assert body["linked_accounts"] == [
        {"remote_id": "ACT-1", "remote_name": "Everyday Checking", "account_id": str(account)}
    ]
    assert [c["id"] for c in listed.json()] == [connection_id]
    every_answer = created.text + banks.text + linked.text + shown.text + listed.text
    assert simplefin.password not in every_answer
    assert "setup" not in body


async def test_another_users_connection_is_not_found(
    client: Client, world: World, simplefin: FakeSimpleFin
) -> None:
    ada = await _sign_in(client, world)
    created = await client.post(
        "/api/v1/connections",
        json={"provider": "demo", "name": "Demo", "setup": {}},
        headers=ada,
    )
    connection_id = created.json()["id"]
    eve = await _sign_in(client, world, "eve@example.org")

    for method, path in [
        ("GET", ""),
        ("POST", "/sync"),
        ("DELETE", ""),
        ("GET", "/bank-accounts"),
    ]:
        answer = await client.request(
            method, f"/api/v1/connections/{connection_id}{path}", headers=eve
        )
        assert answer.status_code == 404, (method, path, answer.text)
    assert (await client.get("/api/v1/connections", headers=eve)).json() == []


async def test_an_unknown_provider_and_a_bad_setup_are_problems_not_errors(
    client: Client, world: World
) -> None:
    auth = await _sign_in(client, world)

    unknown = await client.post(
        "/api/v1/connections", json={"provider": "plaid", "name": "x"}, headers=auth
    )
    no_token = await client.post(
        "/api/v1/connections", json={"provider": "simplefin", "name": "x"}, headers=auth
    )

    assert unknown.status_code == 422
    assert unknown.headers["content-type"].startswith("application/problem+json")
    assert no_token.status_code == 422
    assert "setup_token" in no_token.json()["detail"]


async def test_deleting_a_connection_removes_it(client: Client, world: World) -> None:
    auth = await _sign_in(client, world)
    created = await client.post(
        "/api/v1/connections", json={"provider": "demo", "name": "Demo"}, headers=auth
    )
    connection_id = created.json()["id"]

    deleted = await client.delete(f"/api/v1/connections/{connection_id}", headers=auth)
    again = await client.delete(f"/api/v1/connections/{connection_id}", headers=auth)

    assert deleted.status_code == 204
    assert again.status_code == 404
    assert (
        await client.get(f"/api/v1/connections/{connection_id}", headers=auth)
    ).status_code == 404


async def test_the_connection_routes_are_documented(client: Client) -> None:
    schema = await client.get("/schema/openapi.json")

    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {
        "/api/v1/connections",
        "/api/v1/connections/{connection_id}",
        "/api/v1/connections/{connection_id}/sync",
        "/api/v1/connections/{connection_id}/links",
        "/api/v1/connections/{connection_id}/bank-accounts",
    } <= set(paths)
    assert "202" in paths["/api/v1/connections/{connection_id}/sync"]["post"]["responses"]
