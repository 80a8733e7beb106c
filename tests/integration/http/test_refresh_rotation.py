"""Refresh tokens rotate; a spent one coming back ends the whole session (token theft)."""

from __future__ import annotations

import asyncio

from tests.integration.http.conftest import Client, bearer, login, register


async def _refresh(client: Client, token: str) -> tuple[int, dict[str, object]]:
    response = await client.post("/api/v1/auth/refresh", json={"refresh_token": token})
    return response.status_code, response.json()


async def test_a_refresh_token_buys_a_new_pair_once(client: Client) -> None:
    await register(client)
    first = await login(client)
    status, second = await _refresh(client, first["refresh_token"])
    assert status == 200
    assert second["refresh_token"] != first["refresh_token"]
    assert second["token_type"] == "bearer"
    me = await client.get("/api/v1/me", headers=bearer(str(second["access_token"])))
    assert me.status_code == 200


async def test_reusing_a_spent_refresh_token_revokes_the_family(client: Client) -> None:
    await register(client)
    first = await login(client)
    _, second = await _refresh(client, first["refresh_token"])
    status, _ = await _refresh(client, first["refresh_token"])  # the thief, or the victim
    assert status == 401
    # Everything issued in that session is dead now, including the newest pair.
    status, _ = await _refresh(client, str(second["refresh_token"]))
    assert status == 401
    me = await client.get("/api/v1/me", headers=bearer(str(second["access_token"])))
    assert me.status_code == 401


async def test_two_concurrent_uses_of_one_refresh_token_yield_at_most_one_pair(
    client: Client,
) -> None:
    await register(client)
    first = await login(client)
    results = await asyncio.gather(*(_refresh(client, first["refresh_token"]) for _ in range(5)))
    assert sum(1 for status, _ in results if status == 200) <= 1


async def test_unknown_and_malformed_refresh_tokens_are_refused(client: Client) -> None:
    for token in ("ftr_" + "A" * 43, "nope", "ftr_"):
        status, body = await _refresh(client, token)
        assert status == 401
        assert body["status"] == 401
