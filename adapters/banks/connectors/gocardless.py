"""``GoCardlessConnector``: GoCardless Bank Account Data (ex-Nordigen), API v2, a PSD2 aggregator.

Flow, from the public API description (bankaccountdata.gocardless.com/api/v2):
- ``POST /token/new/`` ``{secret_id, secret_key}`` → ``{access, access_expires, refresh,
  refresh_expires}`` (seconds); ``POST /token/refresh/`` ``{refresh}`` → ``{access,
  access_expires}``. Calls carry ``Authorization: Bearer <access>``.
- Enrolment: ``POST /agreements/enduser/`` (institution, 90 days of history, 90 days of access)
  then ``POST /requisitions/`` ``{redirect, institution_id, agreement, reference}`` → ``{id,
  link}``: the user consents at ``link``; ``GET /requisitions/{id}/`` then shows ``status`` "LN"
  and the ``accounts`` ids ("EX" expired, "RJ" rejected, "SU"/"SA" suspended: consent again).
- ``GET /accounts/{id}/details/`` → ``{account: {currency, name, iban, ...}}``;
  ``GET /accounts/{id}/transactions/?date_from=YYYY-MM-DD`` → ``{transactions: {booked: [...],
  pending: [...]}}`` with ``transactionId`` / ``internalTransactionId``, ``bookingDate``,
  ``valueDate``, ``transactionAmount {amount, currency}``, ``creditorName``/``debtorName``,
  ``creditorAccount``/``debtorAccount {iban}``, ``remittanceInformationUnstructured(Array)``.
- Rate limits: 429 with ``HTTP_X_RATELIMIT_ACCOUNT_SUCCESS_REQUEST_RESET`` (or ``Retry-After``)
  seconds; banks allow as few as 4 calls a day per account, hence the 6-hour default interval.

The secret (API keys, tokens, requisition id) lives in the vault; refreshed tokens are written
back after each sync through ``credentials()``.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import msgspec

from adapters.banks.connectors.http import ProviderHttp, RetryPolicy, iban, long, short
from application.connection_ports import (
    Enrolment,
    MalformedResponse,
    NeedsReauthentication,
    RemoteAccount,
)
from application.statement import StatementLine

PROVIDER = "gocardless"
BASE_URL = "https://bankaccountdata.gocardless.com/api/v2"
HISTORY_DAYS = 90
_AMOUNT = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,4})?")
_CURRENCY = re.compile(r"[A-Z]{3}")
_EXPIRED = {"EX", "RJ", "SU", "SA"}
_MARGIN = 60  # seconds of validity a token must have left to be used


class Token(msgspec.Struct):
    access: str
    access_expires: int
    refresh: str | None = None
    refresh_expires: int | None = None


class Agreement(msgspec.Struct):
    id: str


class Requisition(msgspec.Struct):
    id: str
    status: str = ""
    link: str = ""
    accounts: list[str] = []


class AccountDetail(msgspec.Struct):
    currency: str | None = None
    name: str | None = None
    product: str | None = None
    iban: str | None = None
    ownerName: str | None = None  # noqa: N815 - the provider's field names


class AccountDetails(msgspec.Struct):
    account: AccountDetail


class Amount(msgspec.Struct):
    amount: str
    currency: str


class Party(msgspec.Struct):
    iban: str | None = None


class GcTransaction(msgspec.Struct, rename="camel"):
    transaction_amount: Amount
    transaction_id: str | None = None
    internal_transaction_id: str | None = None
    booking_date: str | None = None
    value_date: str | None = None
    creditor_name: str | None = None
    creditor_account: Party | None = None
    debtor_name: str | None = None
    debtor_account: Party | None = None
    remittance_information_unstructured: str | None = None
    remittance_information_unstructured_array: list[str] | None = None
    additional_information: str | None = None


class TransactionLists(msgspec.Struct):
    booked: list[GcTransaction] = []
    pending: list[GcTransaction] = []


class Transactions(msgspec.Struct):
    transactions: TransactionLists


class GoCardlessConnector:
    def __init__(
        self,
        credentials: Mapping[str, str],
        *,
        base_url: str = BASE_URL,
        transport: httpx.BaseTransport | None = None,
        policy: RetryPolicy | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._credentials = dict(credentials)
        self._clock = clock
        self._http = ProviderHttp(base_url, name="GoCardless", policy=policy, transport=transport)

    def credentials(self) -> dict[str, str]:
        return dict(self._credentials)

    def close(self) -> None:
        self._http.close()

    def accounts(self) -> Sequence[RemoteAccount]:
        requisition = self._call(
            "GET", f"/requisitions/{_safe_id(self._credentials['requisition_id'])}/", Requisition
        )
        if requisition.status in _EXPIRED:
            raise NeedsReauthentication(
                f"the consent at the bank has ended (status {requisition.status}): renew it"
            )
        if requisition.status != "LN":
            raise NeedsReauthentication("the bank has not confirmed the consent yet")
        found = []
        for account_id in requisition.accounts:
            detail = self._call(
                "GET", f"/accounts/{_safe_id(account_id)}/details/", AccountDetails
            ).account
            currency = (
                detail.currency
                if detail.currency and _CURRENCY.fullmatch(detail.currency)
                else None
            )
            found.append(
                RemoteAccount(
                    id=account_id,
                    name=short(detail.name or detail.product or detail.iban) or account_id,
                    currency=currency,
                    iban=short(detail.iban) or None,
                )
            )
        return found

    def lines(self, remote_account_id: str, since: date) -> Sequence[StatementLine]:
        answer = self._call(
            "GET",
            f"/accounts/{_safe_id(remote_account_id)}/transactions/",
            Transactions,
            params={"date_from": since.isoformat()},
        )
        return [
            *(_line(tx, pending=False) for tx in answer.transactions.booked),
            *(_line(tx, pending=True) for tx in answer.transactions.pending),
        ]

    # -- tokens --------------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        type: type[Any],
        *,
        params: Mapping[str, str] | None = None,
        json: object = None,
    ) -> Any:
        token = self._access_token()
        try:
            return self._http.request(
                method, path, type, params=params, json=json, headers=_bearer(token)
            )
        except NeedsReauthentication:
            # The access token may have been revoked early: get a new one once, then believe it.
            self._credentials.pop("access", None)
            token = self._access_token()
            return self._http.request(
                method, path, type, params=params, json=json, headers=_bearer(token)
            )

    def _access_token(self) -> str:
        now = self._clock()
        creds = self._credentials
        if creds.get("access") and float(creds.get("access_expires_at", "0")) > now + _MARGIN:
            return creds["access"]
        if creds.get("refresh") and float(creds.get("refresh_expires_at", "0")) > now + _MARGIN:
            try:
                token = self._http.request(
                    "POST", "/token/refresh/", Token, json={"refresh": creds["refresh"]}
                )
            except NeedsReauthentication:
                token = self._new_token()
        else:
            token = self._new_token()
        self._remember(token, now)
        return token.access

    def _new_token(self) -> Token:
        return self._http.request(
            "POST",
            "/token/new/",
            Token,
            json={
                "secret_id": self._credentials["secret_id"],
                "secret_key": self._credentials["secret_key"],
            },
        )

    def _remember(self, token: Token, now: float) -> None:
        self._credentials["access"] = token.access
        self._credentials["access_expires_at"] = str(int(now + token.access_expires))
        if token.refresh is not None and token.refresh_expires is not None:
            self._credentials["refresh"] = token.refresh
            self._credentials["refresh_expires_at"] = str(int(now + token.refresh_expires))

    # -- enrolment -----------------------------------------------------------------------------

    def enrol(self, *, institution_id: str, redirect: str) -> Enrolment:
        agreement = self._call(
            "POST",
            "/agreements/enduser/",
            Agreement,
            json={
                "institution_id": institution_id,
                "max_historical_days": HISTORY_DAYS,
                "access_valid_for_days": 90,
                "access_scope": ["balances", "details", "transactions"],
            },
        )
        requisition = self._call(
            "POST",
            "/requisitions/",
            Requisition,
            json={
                "redirect": redirect,
                "institution_id": institution_id,
                "agreement": agreement.id,
                "reference": str(uuid.uuid4()),
                "user_language": "EN",
            },
        )
        if not requisition.link.startswith("https://") and not requisition.link.startswith(
            "http://127.0.0.1"
        ):
            raise MalformedResponse("GoCardless gave a consent link that is not https://")
        self._credentials["requisition_id"] = requisition.id
        self._credentials["institution_id"] = institution_id
        return Enrolment(credentials=self.credentials(), authorisation_link=requisition.link)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _safe_id(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,100}", value):
        raise MalformedResponse("GoCardless sent an id with unexpected characters")
    return value


def _line(tx: GcTransaction, *, pending: bool) -> StatementLine:
    amount = tx.transaction_amount
    if not _AMOUNT.fullmatch(amount.amount):
        raise MalformedResponse(
            f"GoCardless sent an amount that is not a decimal: {amount.amount!r}"
        )
    if not _CURRENCY.fullmatch(amount.currency):
        raise MalformedResponse(
            f"GoCardless sent a currency that is not ISO 4217: {amount.currency!r}"
        )
    booked = _date(tx.booking_date) or _date(tx.value_date)
    if booked is None:
        raise MalformedResponse("GoCardless sent a transaction without a booking or value date")
    value = Decimal(amount.amount)
    outgoing = value < 0
    name = tx.creditor_name if outgoing else tx.debtor_name
    party = tx.creditor_account if outgoing else tx.debtor_account
    text = (
        tx.remittance_information_unstructured
        or " ".join(tx.remittance_information_unstructured_array or ())
        or tx.additional_information
    )
    reference = tx.transaction_id or tx.internal_transaction_id
    return StatementLine(
        booked_on=booked,
        value_date=_date(tx.value_date),
        amount=value,
        currency=amount.currency,
        payee=short(name),
        counterparty_name=short(name),
        counterparty_iban=iban(party.iban) if party is not None else "",
        description=long(text),
        bank_reference=short(reference) or None,
        pending=pending,
        raw=msgspec.json.encode(tx).decode(),
    )


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise MalformedResponse(
            f"GoCardless sent a date that is not ISO 8601: {text[:40]!r}"
        ) from None
