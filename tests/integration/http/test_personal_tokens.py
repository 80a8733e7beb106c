"""Personal access tokens: named, scoped, revocable, shown once, stored only as a hash."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.http.app import HttpOptions, create_app, sql_http_services
from adapters.http.auth.tables import auth_personal_tokens
from adapters.settings import Settings
from application.users_port import UserAccounts
from tests.integration.http.conftest import SECRET, Client, bearer, login, register
from tests.integration.http.handlers import Effects

TOKENS = "/api/v1/auth/tokens"


@pytest.fixture
def app(settings: Settings, engine: AsyncEngine, users: UserAccounts) -> Litestar:
    options = HttpOptions(secret=SECRET, api_handlers=Effects().handlers())
    return create_app(settings, sql_http_services(engine, users), options=options)


@pytest.fixture
async def session(client: Client) -> dict[str, str]:
    await register(client)
    return bearer((await login(client))["access_token"])


async def _create(client: Client, session: dict[str, str], scope: str) -> dict[str, Any]:
    response = await client.post(
        TOKENS, json={"name": f"{scope} script", "scope": scope}, headers=session
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_token_is_shown_once_and_listed_without_its_secret(
    client: Client, session: dict[str, str]
) -> None:
    created = await _create(client, session, "read")
    assert created["token"].startswith("ftp_")
    listed = (await client.get(TOKENS, headers=session)).json()
    assert listed == [{k: v for k, v in created.items() if k != "token"}]


async def test_only_a_hash_of_the_secret_is_stored(
    client: Client, session: dict[str, str], engine: AsyncEngine
) -> None:
    secret = (await _create(client, session, "read"))["token"]
    async with engine.connect() as conn:
        rows = (await conn.execute(sa.select(auth_personal_tokens))).all()
    assert len(rows) == 1
    assert all(secret not in str(value) and secret.encode() != value for value in rows[0])


async def test_a_read_token_reads_but_cannot_write(client: Client, session: dict[str, str]) -> None:
    token = bearer((await _create(client, session, "read"))["token"])
    assert (await client.get("/api/v1/me", headers=token)).status_code == 200
    write = await client.post("/api/v1/test/effects", json={"amount": "1"}, headers=token)
    assert write.status_code == 403
    assert write.headers["content-type"] == "application/problem+json"


async def test_a_read_write_token_writes(client: Client, session: dict[str, str]) -> None:
    token = bearer((await _create(client, session, "read-write"))["token"])
    write = await client.post("/api/v1/test/effects", json={"amount": "1"}, headers=token)
    assert write.status_code == 201


async def test_a_personal_token_cannot_manage_credentials(
    client: Client, session: dict[str, str]
) -> None:
    token = bearer((await _create(client, session, "read-write"))["token"])
    assert (await client.post(TOKENS, json={"name": "more"}, headers=token)).status_code == 403
    assert (await client.get(TOKENS, headers=token)).status_code == 403
    password = {"current_password": "a" * 12, "new_password": "b" * 12}
    assert (
        await client.post("/api/v1/auth/password", json=password, headers=token)
    ).status_code == 403


async def test_a_revoked_token_is_refused(client: Client, session: dict[str, str]) -> None:
    created = await _create(client, session, "read")
    response = await client.delete(f"{TOKENS}/{created['id']}", headers=session)
    assert response.status_code == 204
    assert (await client.get("/api/v1/me", headers=bearer(created["token"]))).status_code == 401
    assert (await client.get(TOKENS, headers=session)).json() == []


async def test_another_users_token_cannot_be_revoked(
    client: Client, session: dict[str, str]
) -> None:
    created = await _create(client, session, "read")
    await register(client, "mallory@example.org")
    mallory = bearer((await login(client, "mallory@example.org"))["access_token"])
    response = await client.delete(f"{TOKENS}/{created['id']}", headers=mallory)
    assert response.status_code == 404
    assert (await client.get("/api/v1/me", headers=bearer(created["token"]))).status_code == 200


async def test_a_forged_token_with_the_right_prefix_is_refused(client: Client) -> None:
    response = await client.get("/api/v1/me", headers=bearer("ftp_" + "A" * 43))
    assert response.status_code == 401
