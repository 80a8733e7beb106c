"""A fake GoCardless Bank Account Data API v2 under ``/api/v2``.

Tokens (``token/new``, ``token/refresh``, Bearer checks, expiry), end-user agreements,
requisitions with a consent link (``consent(requisition)`` plays the user at the bank), account
details and ``transactions`` with ``booked`` / ``pending``. Scripted failures (``fail_next``)
hit the data endpoints (requisitions, accounts); ``expire_consent()`` turns the requisition to "EX".
"""

from __future__ import annotations

import json
import secrets
from datetime import date
from typing import Any

from tests.fakes.server import FakeServer, Reply

SECRET_ID = "fake-secret-id"
SECRET_KEY = "fake-secret-key-" + "x" * 16
INSTITUTION = "SANDBOXFINANCE_SFIN0000"
ACCOUNT = "7e944232-bda9-40bc-b784-660c7ab5fe78"


class FakeGoCardless(FakeServer):
    def __init__(self, *, access_seconds: int = 86400) -> None:
        super().__init__()
        self.api = f"{self.base}/api/v2"
        self.access_seconds = access_seconds
        self.access_tokens: set[str] = set()
        self.refresh_tokens: set[str] = set()
        self.requisitions: dict[str, dict[str, Any]] = {}
        self.booked: list[dict[str, Any]] = []
        self.pending: list[dict[str, Any]] = []
        self.tokens_issued = 0

    # -- scenario helpers ----------------------------------------------------------------------

    def consent(self, requisition_id: str | None = None) -> None:
        for rid, requisition in self.requisitions.items():
            if requisition_id in (None, rid):
                requisition.update(status="LN", accounts=[ACCOUNT])

    def expire_consent(self) -> None:
        for requisition in self.requisitions.values():
            requisition["status"] = "EX"

    def revoke_tokens(self) -> None:
        self.access_tokens.clear()

    def add(
        self,
        tx_id: str | None,
        day: date,
        amount: str,
        name: str,
        *,
        pending: bool = False,
        internal_id: str | None = None,
        text: str = "",
    ) -> dict[str, Any]:
        outgoing = amount.startswith("-")
        tx: dict[str, Any] = {
            "bookingDate": day.isoformat(),
            "valueDate": day.isoformat(),
            "transactionAmount": {"amount": amount, "currency": "EUR"},
            "remittanceInformationUnstructured": text or f"Payment {name}",
            "bankTransactionCode": "PMNT",
        }
        if tx_id is not None:
            tx["transactionId"] = tx_id
        if internal_id is not None:
            tx["internalTransactionId"] = internal_id
        party = "creditor" if outgoing else "debtor"
        tx[f"{party}Name"] = name
        tx[f"{party}Account"] = {"iban": "GB33BUKB20201555555555"}
        (self.pending if pending else self.booked).append(tx)
        return tx

    def book_pending(self, index: int, day: date, *, tx_id: str | None = None) -> None:
        """The bank books a pending line, possibly under a new id (some do)."""
        tx = self.pending.pop(index)
        tx["bookingDate"] = day.isoformat()
        tx.pop("internalTransactionId", None)
        if tx_id is not None:
            tx["transactionId"] = tx_id
        self.booked.append(tx)

    # -- the protocol --------------------------------------------------------------------------

    def handle(  # noqa: PLR0911 - one answer per route
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: bytes
    ) -> Reply:
        if not path.startswith("/api/v2/"):
            return Reply(404)
        route = path[len("/api/v2") :]
        data = json.loads(body) if body else {}
        if method == "POST" and route == "/token/new/":
            if data.get("secret_id") != SECRET_ID or data.get("secret_key") != SECRET_KEY:
                return _problem(401, "Authentication failed", "No active account found")
            self.tokens_issued += 1
            return Reply.json(self._token(with_refresh=True))
        if method == "POST" and route == "/token/refresh/":
            if data.get("refresh") not in self.refresh_tokens:
                return _problem(401, "Invalid token", "Token is invalid or expired")
            return Reply.json(self._token(with_refresh=False))
        bearer = headers.get("Authorization", "").removeprefix("Bearer ")
        if bearer not in self.access_tokens:
            return _problem(401, "Invalid token", "Token is invalid or expired")
        if method == "POST" and route == "/agreements/enduser/":
            return Reply.json({"id": secrets.token_hex(8), **data}, status=201)
        if method == "POST" and route == "/requisitions/":
            rid = secrets.token_hex(8)
            requisition = {
                "id": rid,
                "status": "CR",
                "link": f"{self.base}/consent/{rid}",
                "accounts": [],
                **data,
            }
            self.requisitions[rid] = requisition
            return Reply.json(requisition, status=201)
        scripted = self.scripted()
        if scripted is not None:
            return scripted
        return self._data(method, route, query)

    def _data(self, method: str, route: str, query: dict[str, str]) -> Reply:
        parts = [p for p in route.split("/") if p]
        if method == "GET" and len(parts) == 2 and parts[0] == "requisitions":
            requisition = self.requisitions.get(parts[1])
            return Reply.json(requisition) if requisition else _problem(404, "Not found", "")
        if method == "GET" and len(parts) == 3 and parts[0] == "accounts":
            if parts[1] != ACCOUNT:
                return _problem(404, "Not found", "")
            if any(r["status"] == "EX" for r in self.requisitions.values()):
                return _problem(401, "EUA expired", "End User Agreement has expired")
            if parts[2] == "details":
                return Reply.json(
                    {
                        "account": {
                            "resourceId": "x",
                            "iban": "GB33BUKB20201555555555",
                            "currency": "EUR",
                            "name": "Main Account",
                            "product": "Current",
                        }
                    }
                )
            if parts[2] == "transactions":
                since = query.get("date_from", "0000-01-01")
                booked = [t for t in self.booked if t["bookingDate"] >= since]
                return Reply.json({"transactions": {"booked": booked, "pending": self.pending}})
        return _problem(404, "Not found", route)

    def _token(self, *, with_refresh: bool) -> dict[str, Any]:
        access = secrets.token_hex(16)
        self.access_tokens.add(access)
        token: dict[str, Any] = {"access": access, "access_expires": self.access_seconds}
        if with_refresh:
            refresh = secrets.token_hex(16)
            self.refresh_tokens.add(refresh)
            token.update(refresh=refresh, refresh_expires=2592000)
        return token


def _problem(status: int, summary: str, detail: str) -> Reply:
    return Reply.json({"summary": summary, "detail": detail, "status_code": status}, status=status)
