"""``SimpleFinConnector``: the SimpleFIN Bridge protocol (https://www.simplefin.org/protocol.html).

Enrolment: the setup token the user pastes is the Base64 of a claim URL; ``POST`` to it (once —
a second claim is refused with 403) answers with the access URL, ``https://user:pass@host/path``.
That URL *is* the secret: it is sealed in the vault and never logged.

Data: ``GET {access}/accounts?start-date=<unix>&pending=1`` (HTTP Basic from the URL's userinfo)
answers ``{"errors": [...], "accounts": [{"id", "name", "currency", "balance", "transactions":
[{"id", "posted", "amount", "description", "payee", "memo", "transacted_at", "pending"}]}]}``.
``posted`` is a Unix time (0 while pending), ``amount`` a decimal string. A bridge that answers
403 means the access was revoked; an ``errors`` entry about authentication means the same.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from urllib.parse import SplitResult, urlsplit, urlunsplit

import httpx
import msgspec

from adapters.banks.connectors.http import ProviderHttp, RetryPolicy, long, short
from application.connection_ports import (
    Enrolment,
    MalformedResponse,
    NeedsReauthentication,
    ProviderUnavailable,
    RemoteAccount,
)
from application.statement import StatementLine

PROVIDER = "simplefin"
_AMOUNT = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,4})?")
_CURRENCY = re.compile(r"[A-Z]{3}")
MAX_SETUP_TOKEN = 2048


class SfTransaction(msgspec.Struct):
    id: str
    posted: int
    amount: str
    description: str = ""
    payee: str | None = None
    memo: str | None = None
    transacted_at: int | None = None
    pending: bool = False


class SfAccount(msgspec.Struct):
    id: str
    name: str
    currency: str
    balance: str
    transactions: list[SfTransaction] = []


class SfAccountSet(msgspec.Struct):
    accounts: list[SfAccount]
    errors: list[str] = []


def claim(
    setup_token: str,
    *,
    allow_http: bool = False,
    transport: httpx.BaseTransport | None = None,
    policy: RetryPolicy | None = None,
) -> Enrolment:
    """Exchange a setup token for the access URL (the credentials)."""
    token = "".join(setup_token.split())
    if not token or len(token) > MAX_SETUP_TOKEN:
        raise MalformedResponse("the SimpleFIN setup token is empty or too long")
    try:
        claim_url = base64.b64decode(token, validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError):
        raise MalformedResponse("the SimpleFIN setup token is not Base64") from None
    parts = _check_url(claim_url, allow_http=allow_http, userinfo=False)
    origin = urlunsplit((parts.scheme, _host_port(parts), "", "", ""))
    http = ProviderHttp(origin, name="SimpleFIN", policy=policy, transport=transport)
    try:
        body, _ = http.raw("POST", parts.path or "/", headers={"Content-Length": "0"})
    except NeedsReauthentication:
        raise MalformedResponse(
            "the SimpleFIN setup token was already claimed or is invalid: create a new one"
        ) from None
    finally:
        http.close()
    access_url = body.decode("ascii", "replace").strip()
    _check_url(access_url, allow_http=allow_http, userinfo=True)
    return Enrolment(credentials={"access_url": access_url})


class SimpleFinConnector:
    def __init__(
        self,
        access_url: str,
        *,
        allow_http: bool = False,
        transport: httpx.BaseTransport | None = None,
        policy: RetryPolicy | None = None,
    ) -> None:
        self._access_url = access_url
        parts = _check_url(access_url, allow_http=allow_http, userinfo=True)
        bare = urlunsplit((parts.scheme, _host_port(parts), parts.path.rstrip("/"), "", ""))
        self._http = ProviderHttp(
            bare,
            name="SimpleFIN",
            policy=policy,
            transport=transport,
            auth=httpx.BasicAuth(parts.username or "", parts.password or ""),
        )
        self._cache: dict[date, SfAccountSet] = {}

    def credentials(self) -> dict[str, str]:
        return {"access_url": self._access_url}

    def close(self) -> None:
        self._http.close()

    def accounts(self) -> Sequence[RemoteAccount]:
        answer = self._get({"balances-only": "1"})
        return [
            RemoteAccount(
                id=account.id,
                name=short(account.name) or account.id,
                currency=account.currency if _CURRENCY.fullmatch(account.currency) else None,
            )
            for account in answer.accounts
        ]

    def lines(self, remote_account_id: str, since: date) -> Sequence[StatementLine]:
        if since not in self._cache:
            start = int(datetime(since.year, since.month, since.day, tzinfo=UTC).timestamp())
            self._cache[since] = self._get({"start-date": str(start), "pending": "1"})
        for account in self._cache[since].accounts:
            if account.id == remote_account_id:
                return [_line(account, tx) for tx in account.transactions]
        raise NeedsReauthentication(
            f"SimpleFIN no longer shows the bank account {short(remote_account_id)!r}"
        )

    def _get(self, params: dict[str, str]) -> SfAccountSet:
        answer = self._http.request("GET", "/accounts", SfAccountSet, params=params)
        errors = [short(text) for text in answer.errors]
        if any("auth" in text.lower() or "credential" in text.lower() for text in errors):
            raise NeedsReauthentication("SimpleFIN: " + "; ".join(errors)[:400])
        if errors and not answer.accounts:
            raise ProviderUnavailable("SimpleFIN: " + "; ".join(errors)[:400])
        return answer


def _line(account: SfAccount, tx: SfTransaction) -> StatementLine:
    if not _AMOUNT.fullmatch(tx.amount):
        raise MalformedResponse(f"SimpleFIN sent an amount that is not a decimal: {tx.amount!r}")
    if not tx.id or len(tx.id) > 200:
        raise MalformedResponse("SimpleFIN sent a transaction without a usable id")
    pending = tx.pending or tx.posted == 0
    when = tx.posted if tx.posted > 0 else (tx.transacted_at or 0)
    if when <= 0:
        raise MalformedResponse("SimpleFIN sent a transaction with no date")
    description = " · ".join(part for part in (long(tx.description), long(tx.memo)) if part)
    return StatementLine(
        booked_on=_day(when),
        value_date=_day(tx.transacted_at) if tx.transacted_at else None,
        amount=Decimal(tx.amount),
        currency=account.currency if _CURRENCY.fullmatch(account.currency) else None,
        payee=short(tx.payee),
        counterparty_name=short(tx.payee),
        counterparty_iban="",
        description=description[:1000],
        bank_reference=short(tx.id),
        pending=pending,
        raw=msgspec.json.encode(tx).decode(),
    )


def _day(timestamp: int) -> date:
    try:
        return datetime.fromtimestamp(timestamp, tz=UTC).date()
    except (OverflowError, OSError, ValueError):
        raise MalformedResponse(f"SimpleFIN sent an impossible time: {timestamp}") from None


def _check_url(url: str, *, allow_http: bool, userinfo: bool) -> SplitResult:
    parts = urlsplit(url)
    schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme not in schemes or not parts.hostname:
        raise MalformedResponse("SimpleFIN gave a URL that is not https://")
    if userinfo and (not parts.username or not parts.password):
        raise MalformedResponse("SimpleFIN gave an access URL without credentials")
    return parts


def _host_port(parts: SplitResult) -> str:
    host = parts.hostname or ""
    port = parts.port
    if ":" in host:
        host = f"[{host}]"
    return f"{host}:{port}" if port else host
