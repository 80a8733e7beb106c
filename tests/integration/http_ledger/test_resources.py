"""The ledger resources through HTTP on MariaDB: commands answer positions, queries see them."""

from __future__ import annotations

import pytest

from tests.integration.http_ledger.conftest import Client, open_account, record, sign_up

pytestmark = pytest.mark.mariadb


async def test_an_opened_account_is_listed_with_its_balance(client: Client) -> None:
    auth = await sign_up(client)
    opened = await open_account(client, auth)
    recorded = await record(client, auth, opened["id"], "-12.50")

    listed = await client.get(
        "/api/v1/accounts", params={"min_position": recorded["position"]}, headers=auth
    )
    one = await client.get(f"/api/v1/accounts/{opened['id']}", headers=auth)

    assert listed.status_code == 200
    assert [(a["id"], a["balance"], a["currency"]) for a in listed.json()] == [
        (opened["id"], "87.50", "EUR")
    ]
    assert one.json()["opening_balance"] == "100.00"


async def test_rename_close_and_reopen_answer_increasing_positions(client: Client) -> None:
    auth = await sign_up(client)
    opened = await open_account(client, auth)
    account = f"/api/v1/accounts/{opened['id']}"

    renamed = await client.patch(account, json={"name": "Household"}, headers=auth)
    closed = await client.post(f"{account}/close", headers=auth)
    refused = await record_status(client, auth, opened["id"])
    reopened = await client.post(f"{account}/reopen", headers=auth)

    positions = [opened["position"], *(r.json()["position"] for r in (renamed, closed, reopened))]
    assert positions == sorted(positions)
    assert len(set(positions)) == 4
    assert refused == 422
    shown = await client.get(
        account, params={"min_position": reopened.json()["position"]}, headers=auth
    )
    assert shown.json()["name"] == "Household"
    assert shown.json()["closed"] is False


async def record_status(client: Client, auth: dict[str, str], account_id: str) -> int:
    body = {"account_id": account_id, "amount": "1.00", "booked_on": "2026-01-05"}
    return (await client.post("/api/v1/transactions", json=body, headers=auth)).status_code


async def test_categories_form_a_tree_that_can_be_renamed_moved_and_archived(
    client: Client,
) -> None:
    auth = await sign_up(client)
    food = (await client.post("/api/v1/categories", json={"name": "Food", "kind": "expense"},
                              headers=auth)).json()  # fmt: skip
    shop = (await client.post(
        "/api/v1/categories",
        json={"name": "Groceries", "kind": "expense", "parent_id": food["id"]},
        headers=auth,
    )).json()  # fmt: skip
    moved = await client.patch(
        f"/api/v1/categories/{shop['id']}", json={"name": "Shop", "parent_id": None}, headers=auth
    )
    archived = await client.post(f"/api/v1/categories/{food['id']}/archive", headers=auth)

    tree = await client.get(
        "/api/v1/categories", params={"min_position": archived.json()["position"]}, headers=auth
    )
    assert moved.status_code == 200
    assert {(c["name"], c["parent_id"], c["archived"]) for c in tree.json()} == {
        ("Food", None, True),
        ("Shop", None, False),
    }


async def test_a_transaction_is_changed_split_deleted_restored_and_its_history_shows_it(
    client: Client,
) -> None:
    auth = await sign_up(client)
    account = await open_account(client, auth)
    food = (await client.post("/api/v1/categories", json={"name": "Food", "kind": "expense"},
                              headers=auth)).json()  # fmt: skip
    home = (await client.post("/api/v1/categories", json={"name": "Home", "kind": "expense"},
                              headers=auth)).json()  # fmt: skip
    tx = await record(client, auth, account["id"], "-30.00", payee="Market", tags=["weekly"])
    path = f"/api/v1/transactions/{tx['id']}"

    changed = await client.patch(
        path,
        json={"payee": "Big market", "category_id": food["id"], "add_tags": ["food"],
              "remove_tags": ["weekly"]},
        headers=auth,
    )  # fmt: skip
    split = await client.put(
        f"{path}/split",
        json={"lines": [{"category_id": food["id"], "amount": "-20.00", "memo": "groceries"},
                        {"category_id": home["id"], "amount": "-10.00"}]},
        headers=auth,
    )  # fmt: skip
    deleted = await client.delete(path, headers=auth)
    hidden = await client.get(
        "/api/v1/transactions", params={"min_position": deleted.json()["position"]}, headers=auth
    )
    restored = await client.post(f"{path}/restore", headers=auth)
    position = restored.json()["position"]
    shown = await client.get(path, params={"min_position": position}, headers=auth)
    history = await client.get(f"{path}/history", params={"min_position": position}, headers=auth)

    assert changed.status_code == split.status_code == 200
    assert hidden.json()["items"] == []
    view = shown.json()
    assert (view["payee"], view["tags"], view["deleted"]) == ("Big market", ["food"], False)
    assert [(s["amount"], s["memo"]) for s in view["splits"]] == [
        ("-20.00", "groceries"),
        ("-10.00", ""),
    ]
    events = [entry["event"] for entry in history.json()]
    assert events[0] == "Recorded"
    assert events[-2:] == ["Deleted", "Restored"]
    assert {"Amended", "Categorised", "Tagged", "Untagged", "Split"} <= set(events)


async def test_a_change_with_one_refused_part_saves_none_of_it(client: Client) -> None:
    auth = await sign_up(client)
    account = await open_account(client, auth)
    tx = await record(client, auth, account["id"], "-30.00", payee="Market", tags=["weekly"])
    path = f"/api/v1/transactions/{tx['id']}"

    refused = await client.patch(
        path,
        json={"payee": "Renamed", "add_tags": ["food"],
              "category_id": "00000000-0000-4000-8000-000000000000"},
        headers=auth,
    )  # fmt: skip
    seen = {"min_position": tx["position"]}  # each projection lags on its own
    shown = await client.get(path, params=seen, headers=auth)
    history = await client.get(f"{path}/history", params=seen, headers=auth)

    assert refused.status_code == 404
    assert (shown.json()["payee"], shown.json()["tags"]) == ("Market", ["weekly"])
    assert [entry["event"] for entry in history.json()] == ["Recorded"]


async def test_the_list_filters_and_pages_with_a_cursor(client: Client) -> None:
    auth = await sign_up(client)
    account = await open_account(client, auth)
    last = {}
    for day in range(1, 8):
        last = await record(
            client, auth, account["id"], f"-{day}.00", booked_on=f"2026-02-0{day}",
            payee=f"Bakery {day}", tags=["bread"] if day % 2 else [],
        )  # fmt: skip
    seen: list[str] = []
    params: dict[str, str | int] = {"limit": 3, "min_position": last["position"]}
    while True:
        page = (await client.get("/api/v1/transactions", params=params, headers=auth)).json()
        seen += [item["booked_on"] for item in page["items"]]
        if page["next_cursor"] is None:
            break
        params = {"limit": 3, "cursor": page["next_cursor"]}
    tagged = await client.get(
        "/api/v1/transactions",
        params={"tag": "bread", "date_from": "2026-02-02", "amount_max": "-2"},
        headers=auth,
    )
    searched = await client.get("/api/v1/transactions", params={"q": "bakery"}, headers=auth)

    assert seen == [f"2026-02-0{d}" for d in range(7, 0, -1)]
    assert [i["amount"] for i in tagged.json()["items"]] == ["-7.00", "-5.00", "-3.00"]
    assert len(searched.json()["items"]) == 7


async def test_bulk_edits_are_all_or_nothing(client: Client) -> None:
    auth = await sign_up(client)
    account = await open_account(client, auth)
    food = (await client.post("/api/v1/categories", json={"name": "Food", "kind": "expense"},
                              headers=auth)).json()  # fmt: skip
    ids = [(await record(client, auth, account["id"], f"-{n}.00"))["id"] for n in (1, 2, 3)]

    categorised = await client.post(
        "/api/v1/transactions/bulk",
        json={"action": "categorise", "ids": ids, "category_id": food["id"]},
        headers=auth,
    )
    await client.delete(f"/api/v1/transactions/{ids[0]}", headers=auth)
    refused = await client.post(
        "/api/v1/transactions/bulk",
        json={"action": "amend", "ids": ids, "changes": {"payee": "Never"}},
        headers=auth,
    )
    amended = await client.post(
        "/api/v1/transactions/bulk",
        json={"action": "amend", "ids": ids[1:], "changes": {"payee": "Corner shop"}},
        headers=auth,
    )
    page = await client.get(
        "/api/v1/transactions",
        params={"min_position": amended.json()["position"], "category_id": food["id"]},
        headers=auth,
    )

    assert categorised.status_code == 200
    assert sorted(categorised.json()["ids"]) == sorted(ids)
    assert refused.status_code == 422
    assert sorted(i["payee"] for i in page.json()["items"]) == ["Corner shop", "Corner shop"]


async def test_reports_show_balances_totals_and_cash_flow(client: Client) -> None:
    auth = await sign_up(client)
    account = await open_account(client, auth, opening_balance="0")
    salary = (await client.post("/api/v1/categories", json={"name": "Salary", "kind": "income"},
                                headers=auth)).json()  # fmt: skip
    await record(client, auth, account["id"], "1000.00", category_id=salary["id"])
    last = await record(client, auth, account["id"], "-250.00", booked_on="2026-02-10")
    dates = {"date_from": "2026-01-01", "date_to": "2026-02-28", "min_position": last["position"]}

    series = await client.get(
        "/api/v1/reports/balance-series", params={**dates, "interval": "month"}, headers=auth
    )
    totals = await client.get("/api/v1/reports/category-totals", params=dates, headers=auth)
    flow = await client.get("/api/v1/reports/cash-flow", params=dates, headers=auth)
    balances = await client.get(
        "/api/v1/reports/balances", params={"as_of": "2026-01-31"}, headers=auth
    )

    assert [p["balance"] for p in series.json()] == ["1000.00", "750.00"]
    assert {(t["category_id"], t["total"]) for t in totals.json()} == {
        (salary["id"], "1000.00"),
        (None, "-250.00"),
    }
    assert [(m["income"], m["expense"], m["net"]) for m in flow.json()] == [
        ("1000.00", "0.00", "1000.00"),
        ("0.00", "-250.00", "-250.00"),
    ]
    assert [b["balance"] for b in balances.json()] == ["1000.00"]


async def test_a_query_ahead_of_the_views_is_a_503_with_retry_after(client: Client) -> None:
    auth = await sign_up(client)
    response = await client.get(
        "/api/v1/transactions", params={"min_position": 10**12}, headers=auth
    )
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_read_only_token_reads_but_cannot_write(client: Client) -> None:
    auth = await sign_up(client)
    account = await open_account(client, auth)
    token = (await client.post("/api/v1/auth/tokens", json={"name": "script", "scope": "read"},
                               headers=auth)).json()["token"]  # fmt: skip
    read_only = {"Authorization": f"Bearer {token}"}

    listed = await client.get("/api/v1/accounts", headers=read_only)
    written = await client.post(f"/api/v1/accounts/{account['id']}/close", headers=read_only)

    assert listed.status_code == 200
    assert written.status_code == 403
    assert written.headers["content-type"].startswith("application/problem+json")
    assert "only read" in written.json()["detail"]
