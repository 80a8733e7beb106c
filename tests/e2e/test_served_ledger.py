"""End to end against real processes on MariaDB: ``fintrack serve`` plus ``fintrack projector``.

One story through the public HTTP API: register, log in, open accounts, record, categorise,
bulk-edit, split, delete and restore; then the lists, reports and history show it. Every read
passes the last command's ``position`` as ``min_position`` (read-your-writes across processes).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import URL

from ops.bench.processes import RunningServer, running_server

pytestmark = [pytest.mark.mariadb, pytest.mark.slow]
PASSWORD = "a long and unusual passphrase"


@pytest.fixture
def served(mariadb_url: URL, tmp_path: Path) -> Iterator[RunningServer]:
    with running_server(mariadb_url.render_as_string(hide_password=False), tmp_path) as server:
        yield server


class Api:
    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=f"{base_url}/api/v1", timeout=10)
        self.position = 0

    def command(self, method: str, path: str, expected: int = 200, **kwargs: Any) -> Any:
        response = self.http.request(method, path, **kwargs)
        assert response.status_code == expected, response.text
        body = response.json()
        self.position = max(self.position, int(body.get("position", 0)))
        return body

    def query(self, path: str, **params: Any) -> Any:
        response = self.http.get(path, params={**params, "min_position": self.position})
        assert response.status_code == 200, response.text
        return response.json()


def test_a_household_story_through_the_served_api(served: RunningServer) -> None:
    api = Api(served.base_url)
    user = api.command(
        "POST",
        "/auth/register",
        201,
        json={"email": "ann@example.org", "password": PASSWORD, "first_name": "Ann"},
    )
    tokens = api.command(
        "POST", "/auth/login", json={"email": "ann@example.org", "password": PASSWORD}
    )
    api.http.headers["Authorization"] = f"Bearer {tokens['access_token']}"
    assert api.query("/me")["id"] == user["id"]

    checking = api.command(
        "POST",
        "/accounts",
        201,
        json={
            "name": "Checking",
            "kind": "checking",
            "currency": "EUR",
            "opening_balance": "1000.00",
            "opened_on": "2026-01-01",
        },
    )["id"]
    savings = api.command(
        "POST",
        "/accounts",
        201,
        json={
            "name": "Savings",
            "kind": "savings",
            "currency": "EUR",
            "opening_balance": "0",
            "opened_on": "2026-01-01",
        },
    )["id"]
    food = api.command("POST", "/categories", 201, json={"name": "Food", "kind": "expense"})["id"]
    home = api.command("POST", "/categories", 201, json={"name": "Home", "kind": "expense"})["id"]
    groceries = api.command(
        "POST", "/categories", 201, json={"name": "Groceries", "kind": "expense", "parent_id": food}
    )["id"]

    def record(account: str, amount: str, day: str, payee: str) -> str:
        body = {"account_id": account, "amount": amount, "booked_on": day, "payee": payee}
        return str(api.command("POST", "/transactions", 201, json=body)["id"])

    market = record(checking, "-60.00", "2026-01-10", "Farmers market")
    bakery = record(checking, "-4.50", "2026-01-11", "Bakery")
    lamp = record(checking, "-35.00", "2026-02-02", "Lamp shop")
    mistake = record(checking, "-999.00", "2026-02-03", "Typo")
    record(savings, "250.00", "2026-02-01", "Interest")

    api.command("PATCH", f"/transactions/{lamp}", json={"category_id": home, "add_tags": ["home"]})
    api.command(
        "POST",
        "/transactions/bulk",
        json={"action": "categorise", "ids": [market, bakery], "category_id": groceries},
    )
    api.command(
        "POST", "/transactions/bulk", json={"action": "tag", "ids": [market, bakery], "tag": "food"}
    )
    api.command(
        "PUT",
        f"/transactions/{market}/split",
        json={
            "lines": [
                {"category_id": groceries, "amount": "-45.00", "memo": "vegetables"},
                {"category_id": home, "amount": "-15.00", "memo": "flowers"},
            ]
        },
    )
    api.command("DELETE", f"/transactions/{mistake}")
    api.command("POST", f"/transactions/{mistake}/restore")
    api.command("DELETE", f"/transactions/{mistake}")

    listed = api.query("/transactions", account_id=checking)
    assert [t["payee"] for t in listed["items"]] == ["Lamp shop", "Bakery", "Farmers market"]
    food_items = api.query("/transactions", category_id=food)["items"]
    assert {t["id"] for t in food_items} == {market, bakery}
    assert {t["id"] for t in api.query("/transactions", tag="food")["items"]} == {market, bakery}

    balances = {a["name"]: a["balance"] for a in api.query("/accounts")}
    assert balances == {"Checking": "900.50", "Savings": "250.00"}
    totals = api.query("/reports/category-totals", date_from="2026-01-01", date_to="2026-02-28")
    by_category = {(t["month"], t["category_id"]): t["total"] for t in totals}
    assert by_category[("2026-01-01", food)] == "-49.50"  # groceries 45 + bakery 4.50
    assert by_category[("2026-01-01", home)] == "-15.00"
    assert by_category[("2026-02-01", home)] == "-35.00"
    flow = api.query("/reports/cash-flow", date_from="2026-01-01", date_to="2026-02-28")
    assert [(m["income"], m["expense"]) for m in flow] == [
        ("0.00", "-64.50"),
        ("250.00", "-35.00"),
    ]
    series = api.query(
        "/reports/balance-series",
        date_from="2026-01-01",
        date_to="2026-02-28",
        interval="month",
        account_id=checking,
    )
    assert [p["balance"] for p in series] == ["935.50", "900.50"]

    history = [e["event"] for e in api.query(f"/transactions/{mistake}/history")]
    assert history == ["Recorded", "Deleted", "Restored", "Deleted"]
    split = api.query(f"/transactions/{market}")
    assert [line["memo"] for line in split["splits"]] == ["vegetables", "flowers"]
    assert split["tags"] == ["food"]
