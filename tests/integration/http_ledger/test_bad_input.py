"""Hostile or malformed requests to the ledger endpoints: all 4xx problem details, never 5xx."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.http_ledger.conftest import Client, open_account, sign_up

pytestmark = pytest.mark.mariadb
PROBLEM = "application/problem+json"


async def test_malformed_requests_get_a_4xx_problem_detail(client: Client) -> None:
    auth = await sign_up(client)
    account = await open_account(client, auth)
    record = {"account_id": account["id"], "amount": "-1.00", "booked_on": "2026-01-05"}
    json_auth = {**auth, "Content-Type": "application/json"}
    cases: dict[str, tuple[str, str, dict[str, Any], set[int]]] = {
        "over 1 MiB": ("POST", "/api/v1/transactions",
                       {"content": b'{"notes": "' + b"x" * (1024 * 1024 + 10) + b'"}',
                        "headers": json_auth}, {413}),
        "deeply nested": ("POST", "/api/v1/transactions",
                          {"content": b"[" * 5000 + b"]" * 5000, "headers": json_auth}, {400}),
        "unknown field": ("POST", "/api/v1/transactions",
                          {"json": {**record, "evil": 1}, "headers": auth}, {400}),
        "wrong content type": ("POST", "/api/v1/transactions",
                               {"content": b"amount=1", "headers": {
                                   **auth, "Content-Type": "application/x-www-form-urlencoded"}},
                               {415}),
        "text/plain": ("POST", "/api/v1/accounts",
                       {"content": b"{}", "headers": {**auth, "Content-Type": "text/plain"}},
                       {415}),
        "non-UUID path id": ("GET", "/api/v1/transactions/42", {"headers": auth}, {404}),
        "non-UUID on patch": ("PATCH", "/api/v1/accounts/not-an-id",
                              {"json": {"name": "x"}, "headers": auth}, {404, 405}),
        "amount 1e400 as a number": ("POST", "/api/v1/transactions",
                                     {"content": b'{"account_id": "%s", "amount": 1e400, '
                                      b'"booked_on": "2026-01-05"}' % account["id"].encode(),
                                      "headers": json_auth}, {400}),
        "amount 1e400 as a string": ("POST", "/api/v1/transactions",
                                     {"json": {**record, "amount": "1e400"}, "headers": auth},
                                     {400}),
        "amount NaN": ("POST", "/api/v1/transactions",
                       {"json": {**record, "amount": "NaN"}, "headers": auth}, {400}),
        "amount too precise": ("POST", "/api/v1/transactions",
                               {"json": {**record, "amount": "1.001"}, "headers": auth}, {422}),
        "bad query amount": ("GET", "/api/v1/transactions",
                             {"params": {"amount_min": "1e400"}, "headers": auth}, {400}),
        "bad cursor": ("GET", "/api/v1/transactions",
                       {"params": {"cursor": "abc.def"}, "headers": auth}, {422}),
        "limit too big": ("GET", "/api/v1/transactions",
                          {"params": {"limit": 100000}, "headers": auth}, {400}),
        "bulk over 1000": ("POST", "/api/v1/transactions/bulk",
                           {"json": {"action": "delete", "ids": [account["id"]] * 1001},
                            "headers": auth}, {400}),
        "inverted range": ("GET", "/api/v1/reports/cash-flow",
                           {"params": {"date_from": "2026-02-01", "date_to": "2026-01-01"},
                            "headers": auth}, {422}),
        "misspelt filter": ("GET", "/api/v1/transactions",
                            {"params": {"amout_min": "5"}, "headers": auth}, {400}),
        "unknown report parameter": ("GET", "/api/v1/reports/cash-flow",
                                     {"params": {"date_from": "2026-01-01", "by": "week"},
                                      "headers": auth}, {400}),
        "query parameter on a command": ("POST", "/api/v1/transactions",
                                         {"params": {"dry_run": "1"}, "json": record,
                                          "headers": auth}, {400}),
        "no token": ("GET", "/api/v1/accounts", {}, {401}),
    }  # fmt: skip
    failures = []
    for name, (method, path, kwargs, expected) in cases.items():
        response = await client.request(method, path, **kwargs)
        media_type = response.headers.get("content-type", "")
        if response.status_code not in expected or not media_type.startswith(PROBLEM):
            failures.append(f"{name}: {response.status_code} {media_type} {response.text[:120]}")
    assert failures == []


async def test_another_users_ids_are_not_found_for_every_operation(client: Client) -> None:
    ann = await sign_up(client, "ann@example.org")
    bob = await sign_up(client, "bob@example.org")
    account = await open_account(client, ann)
    category = (await client.post("/api/v1/categories", json={"name": "Food", "kind": "expense"},
                                  headers=ann)).json()  # fmt: skip
    tx = (await client.post(
        "/api/v1/transactions",
        json={"account_id": account["id"], "amount": "-5.00", "booked_on": "2026-01-05"},
        headers=ann,
    )).json()  # fmt: skip
    position = tx["position"]
    await client.get("/api/v1/transactions", params={"min_position": position}, headers=ann)
    a, c, t = account["id"], category["id"], tx["id"]
    attempts = [
        ("GET", f"/api/v1/accounts/{a}", None),
        ("PATCH", f"/api/v1/accounts/{a}", {"name": "Mine now"}),
        ("POST", f"/api/v1/accounts/{a}/close", None),
        ("POST", f"/api/v1/accounts/{a}/reopen", None),
        ("PATCH", f"/api/v1/categories/{c}", {"name": "Mine"}),
        ("POST", f"/api/v1/categories/{c}/archive", None),
        ("GET", f"/api/v1/transactions/{t}", None),
        ("PATCH", f"/api/v1/transactions/{t}", {"payee": "Mine"}),
        ("DELETE", f"/api/v1/transactions/{t}", None),
        ("POST", f"/api/v1/transactions/{t}/restore", None),
        ("PUT", f"/api/v1/transactions/{t}/split",
         {"lines": [{"category_id": c, "amount": "-5.00"}]}),
        ("DELETE", f"/api/v1/transactions/{t}/split", None),
        ("GET", f"/api/v1/transactions/{t}/history", None),
        ("POST", "/api/v1/transactions/bulk", {"action": "delete", "ids": [t]}),
    ]  # fmt: skip
    answers = {}
    for method, path, body in attempts:
        response = await client.request(method, path, json=body, headers=bob)
        answers[f"{method} {path}"] = response.status_code
    assert set(answers.values()) == {404}, answers
    bobs_lists = [
        (await client.get(path, params={"min_position": position}, headers=bob)).json()
        for path in ("/api/v1/accounts", "/api/v1/categories", "/api/v1/reports/balances")
    ]
    bobs_transactions = await client.get("/api/v1/transactions", headers=bob)
    assert bobs_lists == [[], [], []]
    assert bobs_transactions.json()["items"] == []
    ann_sees = await client.get(f"/api/v1/transactions/{t}", headers=ann)
    assert (ann_sees.json()["payee"], ann_sees.json()["deleted"]) == ("", False)
