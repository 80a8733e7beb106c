"""A fake SimpleFIN Bridge: claim a setup token once, then ``/accounts`` with Basic auth.

with FakeSimpleFin() as bridge:
    token = bridge.setup_token()
    bridge.add("ACT-1", "tx-1", day, "-12.50", "Coffee", pending=True)
    bridge.book("tx-1", day)       # the pending line books under the same id
    bridge.revoke()                # 403 from now on
    bridge.fail_next(500)          # the next /accounts answer
"""

from __future__ import annotations

import base64
import secrets
from datetime import UTC, date, datetime
from typing import Any

from tests.fakes.server import FakeServer, Reply


def _unix(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, 12, tzinfo=UTC).timestamp())


class FakeSimpleFin(FakeServer):
    def __init__(self) -> None:
        super().__init__()
        self.user, self.password = "demo", secrets.token_hex(8)
        self._tokens: dict[str, bool] = {}  # claim path -> claimed
        self.revoked = False
        self.accounts: dict[str, dict[str, Any]] = {
            "ACT-1": {
                "org": {"domain": "bank.example", "sfin-url": "https://bridge.example/simplefin"},
                "id": "ACT-1",
                "name": "Everyday Checking",
                "currency": "USD",
                "balance": "1000.00",
                "available-balance": "1000.00",
                "balance-date": _unix(date(2026, 1, 1)),
                "transactions": [],
            }
        }
        self.errors: list[str] = []

    @property
    def access_url(self) -> str:
        return f"http://{self.user}:{self.password}@127.0.0.1:{self.port}/simplefin"

    def setup_token(self) -> str:
        path = f"/claim/{secrets.token_hex(8)}"
        self._tokens[path] = False
        return base64.b64encode(f"{self.base}{path}".encode()).decode()

    def add(
        self,
        account: str,
        tx_id: str,
        day: date,
        amount: str,
        payee: str,
        *,
        pending: bool = False,
        description: str = "",
    ) -> None:
        self.accounts[account]["transactions"].append(
            {
                "id": tx_id,
                "posted": 0 if pending else _unix(day),
                "amount": amount,
                "description": description or payee.upper(),
                "payee": payee,
                "memo": "",
                "transacted_at": _unix(day),
                "pending": pending,
            }
        )

    def book(self, tx_id: str, day: date, amount: str | None = None) -> None:
        for account in self.accounts.values():
            for tx in account["transactions"]:
                if tx["id"] == tx_id:
                    tx.update(posted=_unix(day), pending=False)
                    if amount is not None:
                        tx["amount"] = amount

    def revoke(self) -> None:
        self.revoked = True

    def handle(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: bytes
    ) -> Reply:
        if method == "POST" and path in self._tokens:
            if self._tokens[path]:
                return Reply(403, b"token already claimed")
            self._tokens[path] = True
            return Reply(200, self.access_url.encode())
        if method == "GET" and path == "/simplefin/accounts":
            expected = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            if self.revoked or headers.get("Authorization") != f"Basic {expected}":
                return Reply(403, b"Forbidden")
            scripted = self.scripted()
            if scripted is not None:
                return scripted
            return Reply.json(self._account_set(query))
        return Reply(404, b"not found")

    def _account_set(self, query: dict[str, str]) -> dict[str, Any]:
        start = int(query.get("start-date", "0"))
        with_pending = query.get("pending") == "1"
        balances_only = query.get("balances-only") == "1"
        accounts = []
        for account in self.accounts.values():
            transactions = [
                tx
                for tx in account["transactions"]
                if not balances_only
                and (
                    (tx["pending"] and with_pending)
                    or (not tx["pending"] and tx["posted"] >= start)
                )
            ]
            accounts.append({**account, "transactions": transactions})
        return {"errors": self.errors, "accounts": accounts}
