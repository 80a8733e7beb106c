"""``/api/v1/transactions``: the filtered list, record, get, change, delete/restore, split, bulk
edits and each transaction's history."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from litestar import Request, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from adapters.http.auth.tokens import Principal
from adapters.http.idempotency import idempotency_key
from adapters.http.ledger.common import (
    COMMAND_PROBLEMS,
    ID_EXAMPLE,
    QUERY_PROBLEMS,
    LedgerController,
    MinPosition,
    amount,
    command_answers,
    command_out,
    user_id,
)
from adapters.http.ledger.schemas import (
    AMOUNT_PATTERN,
    BulkEditIn,
    BulkOut,
    ChangeTransaction,
    CommandOut,
    HistoryEntryOut,
    RecordTransaction,
    SplitLineOut,
    SplitTransaction,
    TransactionOut,
    TransactionPageOut,
)
from adapters.http.ledger.services import LedgerCommands, LedgerQueries
from adapters.http.openapi import answers
from application.transactions import BulkEdit, NewTransaction, SplitRequest, TransactionChange
from domain.errors import RuleBroken
from projections.balances import NAME as BALANCES
from projections.category_tree import NAME as CATEGORY_TREE
from projections.history import NAME as HISTORY
from projections.transaction_views import TransactionFilters, TransactionSort, TransactionView
from projections.transactions import NAME as TRANSACTIONS

TRANSACTION_EXAMPLE = {
    "id": ID_EXAMPLE,
    "account_id": "9b2e1c9e-6f4f-4a51-8a7e-1d6c1f0b2a11",
    "amount": "-42.50",
    "currency": "EUR",
    "booked_on": "2026-01-31",
    "value_date": None,
    "payee": "Corner grocery",
    "description": "weekly shop",
    "notes": "",
    "counterparty_name": "",
    "counterparty_iban": None,
    "external_reference": None,
    "category_id": None,
    "tags": ["food"],
    "source": "manual",
    "splits": [],
    "deleted": False,
    "position": 1234,
}
RECORD_EXAMPLE = {
    "account_id": "9b2e1c9e-6f4f-4a51-8a7e-1d6c1f0b2a11",
    "amount": "-42.50",
    "booked_on": "2026-01-31",
    "payee": "Corner grocery",
    "tags": ["food"],
}
HISTORY_EXAMPLE = [
    {
        "position": 1234,
        "at": "2026-01-31T09:30:00Z",
        "actor": "user:0f8fad5b-d9cb-469f-a165-70867728950e",
        "event": "Recorded",
        "changes": {"amount": "-42.50", "payee": "Corner grocery"},
    }
]
BULK_EXAMPLE = {"ids": [ID_EXAMPLE], "position": 1240}

IdList = Annotated[list[UUID] | None, QueryParameter(max_items=100)]
QueryAmount = Annotated[str | None, QueryParameter(pattern=AMOUNT_PATTERN, max_length=21)]
Sort = Literal["-booked_on", "booked_on", "-amount", "amount"]
Source = Literal["manual", "import", "connection"]


class NothingToChange(RuleBroken):
    def __init__(self) -> None:
        super().__init__("the request changes nothing")


class TransactionController(LedgerController):
    path = "/transactions"
    tags = ["transactions"]

    @get(
        operation_id="listTransactions",
        summary="Transactions, filtered, newest first, a keyset page at a time",
        responses=answers(
            200,
            TransactionPageOut,
            {"items": [TRANSACTION_EXAMPLE], "next_cursor": None},
            description="A page",
            problems=QUERY_PROBLEMS,
        ),
    )
    async def list_transactions(
        self,
        *,
        request: Request[Principal, Any, Any],
        queries: NamedDependency[LedgerQueries],
        account_id: IdList = None,
        category_id: IdList = None,
        date_from: FromQuery[date | None] = None,
        date_to: FromQuery[date | None] = None,
        value_from: FromQuery[date | None] = None,
        value_to: FromQuery[date | None] = None,
        amount_min: QueryAmount = None,
        amount_max: QueryAmount = None,
        q: Annotated[str | None, QueryParameter(max_length=200)] = None,
        tag: Annotated[list[str] | None, QueryParameter(max_items=20)] = None,
        uncategorised: FromQuery[bool] = False,
        source: FromQuery[Source | None] = None,
        sort: FromQuery[Sort] = "-booked_on",
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
        cursor: Annotated[str | None, QueryParameter(max_length=512)] = None,
        min_position: MinPosition = None,
    ) -> TransactionPageOut:
        # Filter ids are checked against the accounts and category tables, which other
        # projections keep: read-your-writes waits for those too when a filter names ids.
        await queries.wait(
            min_position,
            [
                TRANSACTIONS,
                *([BALANCES] if account_id else []),
                *([CATEGORY_TREE] if category_id else []),
            ],
        )
        filters = TransactionFilters(
            account_ids=frozenset(account_id or ()),
            category_ids=frozenset(category_id or ()),
            booked_from=date_from,
            booked_to=date_to,
            value_from=value_from,
            value_to=value_to,
            amount_min=None if amount_min is None else Decimal(amount_min),
            amount_max=None if amount_max is None else Decimal(amount_max),
            q=q,
            tags=frozenset(tag or ()),
            uncategorised=uncategorised,
            source=source,
        )
        page = await queries.transactions.list_transactions(
            user_id(request), filters, TransactionSort(sort), limit, cursor
        )
        return TransactionPageOut([transaction_out(v) for v in page.items], page.next_cursor)

    @post(
        status_code=HTTP_201_CREATED,
        operation_id="recordTransaction",
        summary="Record a transaction",
        responses=command_answers("Recorded", 201),
    )
    async def record_transaction(
        self,
        *,
        data: JSONBody[RecordTransaction],
        request: Request[Principal, Any, Any],
        commands: NamedDependency[LedgerCommands],
    ) -> CommandOut:
        new = NewTransaction(
            account_id=data.account_id,
            amount=data.amount,
            booked_on=data.booked_on,
            value_date=data.value_date,
            payee=data.payee,
            counterparty_name=data.counterparty_name,
            counterparty_iban=data.counterparty_iban,
            description=data.description,
            notes=data.notes,
            category_id=data.category_id,
            tags=tuple(data.tags),
        )
        outcome = await commands.run(
            commands.transactions.record,
            user_id(request),
            new,
            idempotency_key=idempotency_key(request),
        )
        return command_out(outcome)

    @get(
        "/{transaction_id:uuid}",
        operation_id="getTransaction",
        summary="One transaction (deleted ones too, flagged)",
        responses=answers(
            200, TransactionOut, TRANSACTION_EXAMPLE, description="The transaction",
            problems=QUERY_PROBLEMS,
        ),
    )  # fmt: skip
    async def get_transaction(
        self,
        *,
        transaction_id: FromPath[UUID],
        request: Request[Principal, Any, Any],
        queries: NamedDependency[LedgerQueries],
        min_position: MinPosition = None,
    ) -> TransactionOut:
        await queries.wait(min_position, [TRANSACTIONS])
        view = await queries.transactions.get_transaction(user_id(request), transaction_id)
        return transaction_out(view)

    @patch(
        "/{transaction_id:uuid}",
        operation_id="changeTransaction",
        summary="Amend fields, (un)categorise, add or remove tags",
        responses=command_answers("Changed"),
    )
    async def change_transaction(
        self,
        *,
        transaction_id: FromPath[UUID],
        data: JSONBody[ChangeTransaction],
        request: Request[Principal, Any, Any],
        commands: NamedDependency[LedgerCommands],
    ) -> CommandOut:
        category = data.category_id
        set_category = not isinstance(category, msgspec.UnsetType)
        change = TransactionChange(
            changes=_set_fields(data, exclude={"category_id", "add_tags", "remove_tags"}),
            set_category=set_category,
            category_id=None if isinstance(category, msgspec.UnsetType) else category,
            add_tags=tuple(data.add_tags),
            remove_tags=tuple(data.remove_tags),
        )
        if not (change.changes or set_category or change.add_tags or change.remove_tags):
            raise NothingToChange
        return command_out(
            await commands.run(
                commands.transactions.change, user_id(request), transaction_id, change
            )
        )

    @delete(
        "/{transaction_id:uuid}",
        status_code=HTTP_200_OK,
        operation_id="deleteTransaction",
        summary="Delete a transaction (it can be restored)",
        responses=command_answers("Deleted"),
    )
    async def delete_transaction(
        self,
        *,
        transaction_id: FromPath[UUID],
        request: Request[Principal, Any, Any],
        commands: NamedDependency[LedgerCommands],
    ) -> CommandOut:
        return command_out(
            await commands.run(commands.transactions.delete, user_id(request), transaction_id)
        )

    @post(
        "/{transaction_id:uuid}/restore",
        status_code=HTTP_200_OK,
        operation_id="restoreTransaction",
        summary="Restore a deleted transaction",
        responses=command_answers("Restored"),
    )
    async def restore_transaction(
        self,
        *,
        transaction_id: FromPath[UUID],
        request: Request[Principal, Any, Any],
        commands: NamedDependency[LedgerCommands],
    ) -> CommandOut:
        return command_out(
            await commands.run(commands.transactions.restore, user_id(request), transaction_id)
        )

    @put(
        "/{transaction_id:uuid}/split",
        operation_id="splitTransaction",
        summary="Split a transaction's amount across categories (lines must add up)",
        responses=command_answers("Split"),
    )
    async def split_transaction(
        self,
        *,
        transaction_id: FromPath[UUID],
        data: JSONBody[SplitTransaction],
        request: Request[Principal, Any, Any],
        commands: NamedDependency[LedgerCommands],
    ) -> CommandOut:
        lines = [SplitRequest(line.category_id, line.amount, line.memo) for line in data.lines]
        return command_out(
            await commands.run(commands.transactions.split, user_id(request), transaction_id, lines)
        )

    @delete(
        "/{transaction_id:uuid}/split",
        status_code=HTTP_200_OK,
        operation_id="clearSplit",
        summary="Undo a split (the transaction's own category applies again)",
        responses=command_answers("Cleared"),
    )
    async def clear_split(
        self,
        *,
        transaction_id: FromPath[UUID],
        request: Request[Principal, Any, Any],
        commands: NamedDependency[LedgerCommands],
    ) -> CommandOut:
        return command_out(
            await commands.run(commands.transactions.clear_split, user_id(request), transaction_id)
        )

    @post(
        "/bulk",
        status_code=HTTP_200_OK,
        operation_id="bulkEditTransactions",
        summary="Categorise, tag, untag, delete, restore or amend up to 1000 at once",
        description="All or nothing: if one transaction refuses, none changes.",
        responses=answers(
            200, BulkOut, BULK_EXAMPLE, description="Changed", problems=COMMAND_PROBLEMS
        ),
    )
    async def bulk_edit(
        self,
        *,
        data: JSONBody[BulkEditIn],
        request: Request[Principal, Any, Any],
        commands: NamedDependency[LedgerCommands],
    ) -> BulkOut:
        edit = BulkEdit(
            action=data.action,
            ids=tuple(data.ids),
            category_id=data.category_id,
            tag=data.tag,
            changes={} if data.changes is None else _set_fields(data.changes),
        )
        outcome = await commands.run(commands.transactions.bulk, user_id(request), edit)
        ids = outcome.answer.get("ids") or [outcome.answer["id"]]
        return BulkOut(ids=[UUID(str(i)) for i in ids], position=outcome.position)

    @get(
        "/{transaction_id:uuid}/history",
        operation_id="transactionHistory",
        summary="Every change of a transaction: when, by whom, what",
        responses=answers(
            200, list[HistoryEntryOut], HISTORY_EXAMPLE, description="The history",
            problems=QUERY_PROBLEMS,
        ),
    )  # fmt: skip
    async def transaction_history(
        self,
        *,
        transaction_id: FromPath[UUID],
        request: Request[Principal, Any, Any],
        queries: NamedDependency[LedgerQueries],
        min_position: MinPosition = None,
    ) -> list[HistoryEntryOut]:
        await queries.wait(min_position, [HISTORY])
        entries = await queries.transactions.transaction_history(user_id(request), transaction_id)
        return [
            HistoryEntryOut(e.position, _utc(e.at), e.actor, e.event, dict(e.changes))
            for e in entries
        ]


def transaction_out(view: TransactionView) -> TransactionOut:
    return TransactionOut(
        id=view.id,
        account_id=view.account_id,
        amount=amount(view.amount),
        currency=view.amount.currency,
        booked_on=view.booked_on,
        value_date=view.value_date,
        payee=view.payee,
        description=view.description,
        notes=view.notes,
        counterparty_name=view.counterparty_name,
        counterparty_iban=view.counterparty_iban,
        external_reference=view.external_reference,
        category_id=view.category_id,
        tags=list(view.tags),
        source=view.source,
        splits=[SplitLineOut(s.category_id, amount(s.amount), s.memo) for s in view.splits],
        deleted=view.deleted,
        position=view.position,
    )


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _set_fields(
    data: msgspec.Struct, exclude: frozenset[str] | set[str] = frozenset()
) -> dict[str, Any]:
    return {
        name: value
        for name in data.__struct_fields__
        if name not in exclude and (value := getattr(data, name)) is not msgspec.UNSET
    }
