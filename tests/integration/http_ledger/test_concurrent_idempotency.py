"""50 concurrent identical POSTs with one Idempotency-Key append exactly one transaction."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa

from adapters.persistence.tables import events
from tests.integration.http_ledger.conftest import Client, Server, open_account, sign_up

pytestmark = pytest.mark.mariadb


async def test_fifty_concurrent_posts_with_one_key_append_one_transaction(
    server: Server, client: Client
) -> None:
    auth = await sign_up(client)
    account = await open_account(client, auth)
    body = {"account_id": account["id"], "amount": "-9.99", "booked_on": "2026-03-01"}
    headers = {**auth, "Idempotency-Key": "coffee-2026-03-01"}

    responses = await asyncio.gather(
        *(client.post("/api/v1/transactions", json=body, headers=headers) for _ in range(50))
    )

    statuses = sorted({r.status_code for r in responses})
    answers = {(r.json()["id"], r.json()["position"]) for r in responses if r.status_code == 201}
    assert statuses == [201], [r.text for r in responses if r.status_code != 201][:3]
    assert len(answers) == 1
    [(transaction_id, position)] = answers
    with server.runtime.engine.connect() as conn:
        recorded = conn.scalar(
            sa.select(sa.func.count()).where(events.c.topic.like("%Transaction.Recorded"))
        )
    assert recorded == 1
    listed = await client.get(
        "/api/v1/transactions", params={"min_position": position}, headers=auth
    )
    assert [item["id"] for item in listed.json()["items"]] == [transaction_id]


async def test_the_same_key_with_another_body_is_refused(client: Client) -> None:
    auth = await sign_up(client)
    account = await open_account(client, auth)
    headers = {**auth, "Idempotency-Key": "rent-march"}
    body = {"account_id": account["id"], "amount": "-900.00", "booked_on": "2026-03-01"}

    first = await client.post("/api/v1/transactions", json=body, headers=headers)
    again = await client.post("/api/v1/transactions", json=body, headers=headers)
    other = await client.post(
        "/api/v1/transactions", json={**body, "amount": "-950.00"}, headers=headers
    )

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert other.status_code == 422
