"""Guessing passwords is throttled per account whatever the client address, and per client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from adapters.http.app import HttpOptions
from tests.integration.http.conftest import (
    PASSWORD,
    SECRET,
    Client,
    register,
    with_client_address,
)


@pytest.fixture
async def peer_client(app: Litestar) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=with_client_address(app)) as client:
        yield client


async def _login(client: Client, email: str, password: str, peer: str, forwarded: str) -> object:
    return await client.post(
        "/api/v1/auth/login",
        json={"email": email, "password": password},
        headers={"X-Test-Peer": peer, "X-Forwarded-For": forwarded, "X-Real-IP": forwarded},
    )


async def test_an_account_locks_after_five_failures_from_any_address(peer_client: Client) -> None:
    await register(peer_client)
    for attempt in range(5):
        response = await peer_client.post(
            "/api/v1/auth/login",
            json={"email": "ada@example.org", "password": "wrong password number x"},
            headers={
                "X-Test-Peer": f"198.51.100.{attempt}",
                "X-Forwarded-For": f"10.0.0.{attempt}",
            },
        )
        assert response.status_code == 401
    # A new address, a spoofed forwarding header, and even the right password: still refused.
    response = await peer_client.post(
        "/api/v1/auth/login",
        json={"email": "ada@example.org", "password": PASSWORD},
        headers={"X-Test-Peer": "203.0.113.77", "X-Forwarded-For": "127.0.0.1"},
    )
    assert response.status_code == 429
    assert response.headers["content-type"] == "application/problem+json"
    retry_after = int(response.headers["retry-after"])
    assert 1 <= retry_after <= 15 * 60


async def test_unknown_accounts_lock_the_same_way(peer_client: Client) -> None:
    statuses = []
    for attempt in range(6):
        response = await peer_client.post(
            "/api/v1/auth/login",
            json={"email": "nobody@example.org", "password": "whatever it may be"},
            headers={"X-Test-Peer": f"198.51.100.{attempt}"},
        )
        statuses.append(response.status_code)
    assert statuses == [401] * 5 + [429]


async def test_a_lock_on_one_account_leaves_others_alone(peer_client: Client) -> None:
    await register(peer_client, "ada@example.org")
    await register(peer_client, "bob@example.org")
    for _ in range(6):
        await peer_client.post(
            "/api/v1/auth/login", json={"email": "ada@example.org", "password": "bad guess here"}
        )
    response = await peer_client.post(
        "/api/v1/auth/login", json={"email": "bob@example.org", "password": PASSWORD}
    )
    assert response.status_code == 200


async def test_unknown_email_and_wrong_password_get_the_same_answer(client: Client) -> None:
    await register(client)
    unknown = await client.post(
        "/api/v1/auth/login", json={"email": "nobody@example.org", "password": "some password 1"}
    )
    wrong = await client.post(
        "/api/v1/auth/login", json={"email": "ada@example.org", "password": "some password 1"}
    )
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.content == wrong.content
    skip = {"date", "content-length", "ratelimit-remaining", "ratelimit-reset"}
    assert {k: v for k, v in unknown.headers.items() if k not in skip} == {
        k: v for k, v in wrong.headers.items() if k not in skip
    }


@pytest.mark.parametrize("options", [HttpOptions(secret=SECRET, client_requests_per_minute=3)])
async def test_one_client_address_is_rate_limited_on_the_auth_routes(
    peer_client: Client, options: HttpOptions
) -> None:
    del options
    statuses = []
    for _ in range(4):
        response = await peer_client.post(
            "/api/v1/auth/login",
            json={"email": "ada@example.org", "password": "whatever it is"},
            headers={"X-Test-Peer": "198.51.100.1", "X-Forwarded-For": "192.0.2.99"},
        )
        statuses.append(response.status_code)
    assert statuses[-1] == 429
    assert int(response.headers["retry-after"]) >= 1
    other = await peer_client.post(
        "/api/v1/auth/login",
        json={"email": "ada@example.org", "password": "whatever it is"},
        headers={"X-Test-Peer": "198.51.100.2"},
    )
    assert other.status_code == 401
