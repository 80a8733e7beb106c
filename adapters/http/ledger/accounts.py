"""``/api/v1/accounts``: list with balances, open, get, rename, close, reopen."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from litestar import Request, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from adapters.http.auth.tokens import Principal
from adapters.http.idempotency import idempotency_key
from adapters.http.ledger.common import (
    ID_EXAMPLE,
    QUERY_PROBLEMS,
    LedgerController,
    MinPosition,
    amount,
    command_answers,
    command_out,
    user_id,
)
from adapters.http.ledger.schemas import AccountOut, CommandOut, OpenAccount, RenameAccount
from adapters.http.ledger.services import LedgerCommands, LedgerQueries
from adapters.http.openapi import answers
from adapters.readmodel.balance_queries import balances
from projections.balances import NAME as BALANCES
from projections.errors import ViewNotFound
from projections.reports import AccountBalance

ACCOUNT_EXAMPLE = {
    "id": ID_EXAMPLE,
    "name": "Everyday account",
    "kind": "checking",
    "currency": "EUR",
    "opened_on": "2026-01-01",
    "opening_balance": "100.00",
    "balance": "1234.56",
    "closed": False,
}


class AccountController(LedgerController):
    path = "/accounts"
    tags = ["accounts"]

    @get(
        operation_id="listAccounts",
        summary="Every account with its balance",
        responses=answers(
            200, list[AccountOut], [ACCOUNT_EXAMPLE], description="The accounts",
            problems=QUERY_PROBLEMS,
        ),
    )  # fmt: skip
    async def list_accounts(
        self,
        *,
        request: Request[Principal, Any, Any],
        queries: NamedDependency[LedgerQueries],
        as_of: FromQuery[date | None] = None,
        min_position: MinPosition = None,
    ) -> list[AccountOut]:
        await queries.wait(min_position, [BALANCES])
        found = await balances(queries.engine, queries.opener, user_id(request), as_of)
        return [account_out(b) for b in found]

    @post(
        status_code=HTTP_201_CREATED,
        operation_id="openAccount",
        summary="Open an account",
        responses=command_answers("Opened", 201),
    )
    async def open_account(
        self,
        *,
        data: JSONBody[OpenAccount],
        request: Request[Principal, Any, Any],
        commands: NamedDependency[LedgerCommands],
    ) -> CommandOut:
        outcome = await commands.run(
            commands.accounts.open,
            user_id(request),
            name=data.name,
            kind=data.kind,
            currency=data.currency,
            opening_balance=data.opening_balance,
            opened_on=data.opened_on,
            idempotency_key=idempotency_key(request),
        )
        return command_out(outcome)

    @get(
        "/{account_id:uuid}",
        operation_id="getAccount",
        summary="One account with its balance",
        responses=answers(
            200, AccountOut, ACCOUNT_EXAMPLE, description="The account", problems=QUERY_PROBLEMS
        ),
    )
    async def get_account(
        self,
        *,
        account_id: FromPath[UUID],
        request: Request[Principal, Any, Any],
        queries: NamedDependency[LedgerQueries],
        min_position: MinPosition = None,
    ) -> AccountOut:
        await queries.wait(min_position, [BALANCES])
        for found in await balances(queries.engine, queries.opener, user_id(request)):
            if found.account_id == account_id:
                return account_out(found)
        raise ViewNotFound("account", account_id)

    @patch(
        "/{account_id:uuid}",
        operation_id="renameAccount",
        summary="Rename an account",
        responses=command_answers("Renamed"),
    )
    async def rename_account(
        self,
        *,
        account_id: FromPath[UUID],
        data: JSONBody[RenameAccount],
        request: Request[Principal, Any, Any],
        commands: NamedDependency[LedgerCommands],
    ) -> CommandOut:
        return command_out(
            await commands.run(commands.accounts.rename, user_id(request), account_id, data.name)
        )

    @post(
        "/{account_id:uuid}/close",
        status_code=HTTP_200_OK,
        operation_id="closeAccount",
        summary="Close an account (it takes no new transactions)",
        responses=command_answers("Closed"),
    )
    async def close_account(
        self,
        *,
        account_id: FromPath[UUID],
        request: Request[Principal, Any, Any],
        commands: NamedDependency[LedgerCommands],
    ) -> CommandOut:
        return command_out(
            await commands.run(commands.accounts.close, user_id(request), account_id)
        )

    @post(
        "/{account_id:uuid}/reopen",
        status_code=HTTP_200_OK,
        operation_id="reopenAccount",
        summary="Reopen a closed account",
        responses=command_answers("Reopened"),
    )
    async def reopen_account(
        self,
        *,
        account_id: FromPath[UUID],
        request: Request[Principal, Any, Any],
        commands: NamedDependency[LedgerCommands],
    ) -> CommandOut:
        return command_out(
            await commands.run(commands.accounts.reopen, user_id(request), account_id)
        )


def account_out(found: AccountBalance) -> AccountOut:
    return AccountOut(
        id=found.account_id,
        name=found.name,
        kind=found.kind,
        currency=found.balance.currency,
        opened_on=found.opened_on,
        opening_balance=amount(found.opening),
        balance=amount(found.balance),
        closed=found.closed,
    )
