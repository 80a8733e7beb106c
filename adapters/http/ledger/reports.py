"""``/api/v1/reports/…``: balances, balance series, category totals and cash flow by month."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal
from uuid import UUID

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromQuery

from adapters.http.auth.tokens import Principal
from adapters.http.ledger.accounts import ACCOUNT_EXAMPLE, account_out
from adapters.http.ledger.common import (
    QUERY_PROBLEMS,
    LedgerController,
    MinPosition,
    amount,
    user_id,
)
from adapters.http.ledger.schemas import (
    AccountOut,
    BalancePointOut,
    CashFlowOut,
    CategoryTotalOut,
)
from adapters.http.ledger.services import LedgerQueries
from adapters.http.openapi import answers
from adapters.readmodel.balance_queries import balance_series, balances
from adapters.readmodel.category_queries import cash_flow, category_totals
from projections.balances import NAME as BALANCES
from projections.category_totals import NAME as CATEGORY_TOTALS
from projections.category_tree import NAME as CATEGORY_TREE

Interval = Literal["day", "week", "month"]
Monthly = Literal["month"]


class ReportController(LedgerController):
    path = "/reports"
    tags = ["reports"]

    @get(
        "/balances",
        operation_id="reportBalances",
        summary="Every account's balance now or at the end of a day",
        responses=answers(
            200, list[AccountOut], [ACCOUNT_EXAMPLE], description="Balances",
            problems=QUERY_PROBLEMS,
        ),
    )  # fmt: skip
    async def report_balances(
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

    @get(
        "/balance-series",
        operation_id="reportBalanceSeries",
        summary="The balance at the end of each day, week or month; one account or all",
        responses=answers(
            200,
            list[BalancePointOut],
            [{"period": "2026-01-01", "currency": "EUR", "balance": "1234.56", "account_id": None}],
            description="The series",
            problems=QUERY_PROBLEMS,
        ),
    )
    async def report_balance_series(
        self,
        *,
        request: Request[Principal, Any, Any],
        queries: NamedDependency[LedgerQueries],
        date_from: FromQuery[date],
        date_to: FromQuery[date],
        interval: FromQuery[Interval] = "month",
        account_id: FromQuery[UUID | None] = None,
        min_position: MinPosition = None,
    ) -> list[BalancePointOut]:
        await queries.wait(min_position, [BALANCES])
        points = await balance_series(
            queries.engine,
            user_id(request),
            account_id=account_id,
            date_from=date_from,
            date_to=date_to,
            interval=interval,
        )
        return [
            BalancePointOut(p.period, p.currency, amount(p.balance), p.account_id) for p in points
        ]

    @get(
        "/category-totals",
        operation_id="reportCategoryTotals",
        summary="Per month and category (with its subtree): income and expense totals",
        responses=answers(
            200,
            list[CategoryTotalOut],
            [{"month": "2026-01-01", "category_id": None, "kind": "expense", "currency": "EUR",
              "total": "-310.20", "count": 14}],
            description="The totals",
            problems=QUERY_PROBLEMS,
        ),
    )  # fmt: skip
    async def report_category_totals(
        self,
        *,
        request: Request[Principal, Any, Any],
        queries: NamedDependency[LedgerQueries],
        date_from: FromQuery[date],
        date_to: FromQuery[date],
        interval: FromQuery[Monthly] = "month",
        min_position: MinPosition = None,
    ) -> list[CategoryTotalOut]:
        await queries.wait(min_position, [CATEGORY_TOTALS, CATEGORY_TREE])
        totals = await category_totals(queries.engine, user_id(request), date_from, date_to)
        return [
            CategoryTotalOut(
                t.month, t.category_id, t.kind, t.total.currency, amount(t.total), t.count
            )
            for t in totals
        ]

    @get(
        "/cash-flow",
        operation_id="reportCashFlow",
        summary="Money in and out per month and currency (transfers left out)",
        responses=answers(
            200,
            list[CashFlowOut],
            [{"month": "2026-01-01", "currency": "EUR", "income": "3000.00",
              "expense": "-2100.00", "net": "900.00"}],
            description="The cash flow",
            problems=QUERY_PROBLEMS,
        ),
    )  # fmt: skip
    async def report_cash_flow(
        self,
        *,
        request: Request[Principal, Any, Any],
        queries: NamedDependency[LedgerQueries],
        date_from: FromQuery[date],
        date_to: FromQuery[date],
        interval: FromQuery[Monthly] = "month",
        min_position: MinPosition = None,
    ) -> list[CashFlowOut]:
        await queries.wait(min_position, [CATEGORY_TOTALS, CATEGORY_TREE])
        months = await cash_flow(queries.engine, user_id(request), date_from, date_to)
        return [
            CashFlowOut(m.month, m.currency, amount(m.income), amount(m.expense), amount(m.net))
            for m in months
        ]
