"""Idempotency-Key: a repeat appends nothing and answers like the first; concurrency included."""

from __future__ import annotations

import asyncio

import pytest
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.http.app import HttpOptions, create_app, sql_http_services
from adapters.settings import Settings
from application.users_port import UserAccounts
from tests.integration.http.conftest import SECRET, Client, bearer, login, register
from tests.integration.http.handlers import Effects

URL = "/api/v1/test/effects"


@pytest.fixture
def effects() -> Effects:
    return Effects()


@pytest.fixture
def app(settings: Settings, engine: AsyncEngine, users: UserAccounts, effects: Effects) -> Litestar:
    options = HttpOptions(secret=SECRET, api_handlers=effects.handlers())
    return create_app(settings, sql_http_services(engine, users), options=options)


@pytest.fixture
async def auth(client: Client) -> dict[str, str]:
    await register(client)
    return bearer((await login(client))["access_token"])


async def test_a_repeated_key_returns_the_first_answer_and_appends_nothing(
    client: Client, auth: dict[str, str], effects: Effects
) -> None:
    headers = {**auth, "Idempotency-Key": "k-1"}
    first = await client.post(URL, json={"amount": "1.00"}, headers=headers)
    again = await client.post(URL, json={"amount": "1.00"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.content == again.content
    assert again.headers["idempotent-replayed"] == "true"
    assert effects.count == 1


async def test_the_same_key_with_another_body_is_refused(
    client: Client, auth: dict[str, str], effects: Effects
) -> None:
    headers = {**auth, "Idempotency-Key": "k-2"}
    await client.post(URL, json={"amount": "1.00"}, headers=headers)
    other = await client.post(URL, json={"amount": "2.00"}, headers=headers)
    assert other.status_code == 422
    assert other.headers["content-type"] == "application/problem+json"
    assert effects.count == 1


async def test_fifty_concurrent_posts_with_one_key_have_one_effect(
    client: Client, auth: dict[str, str], effects: Effects
) -> None:
    headers = {**auth, "Idempotency-Key": "k-concurrent"}
    responses = await asyncio.gather(
        *(client.post(URL, json={"amount": "5.00"}, headers=headers) for _ in range(50))
    )
    assert effects.count == 1
    assert {r.status_code for r in responses} == {201}
    assert len({r.content for r in responses}) == 1


async def test_without_a_key_every_post_takes_effect(
    client: Client, auth: dict[str, str], effects: Effects
) -> None:
    for _ in range(2):
        await client.post(URL, json={"amount": "1.00"}, headers=auth)
    assert effects.count == 2


async def test_keys_belong_to_one_user(client: Client, effects: Effects) -> None:
    await register(client, "ada@example.org")
    await register(client, "bob@example.org")
    for email in ("ada@example.org", "bob@example.org"):
        token = (await login(client, email))["access_token"]
        headers = {**bearer(token), "Idempotency-Key": "shared"}
        response = await client.post(URL, json={"amount": "1.00"}, headers=headers)
        assert response.status_code == 201
    assert effects.count == 2


async def test_a_failed_first_attempt_releases_the_key(
    client: Client, auth: dict[str, str], effects: Effects
) -> None:
    headers = {**auth, "Idempotency-Key": "k-fail"}
    failed = await client.post(URL, json={"amount": "fail"}, headers=headers)
    assert failed.status_code == 500
    retried = await client.post(URL, json={"amount": "fail"}, headers=headers)
    assert retried.status_code == 500  # ran again: a 5xx is never replayed
    assert effects.count == 2


@pytest.mark.parametrize("key", ["", "x" * 201, "bad key", "tab\tkey"])
async def test_malformed_keys_are_refused(
    client: Client, auth: dict[str, str], effects: Effects, key: str
) -> None:
    headers = {**auth, "Idempotency-Key": key}
    response = await client.post(URL, json={"amount": "1.00"}, headers=headers)
    assert response.status_code == 400
    assert effects.count == 0
