"""What the balance, category and cash-flow queries answer: frozen DTOs the REST layer maps.

Money is a ``domain.money.Money`` (an exact ``Decimal`` plus its currency). Sums never mix
currencies: every total and series point names the one currency it adds up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID

from domain.money import Money


class Interval(StrEnum):
    DAY = "day"
    WEEK = "week"  # ISO weeks, Monday to Sunday
    MONTH = "month"


@dataclass(frozen=True, slots=True)
class AccountBalance:
    account_id: UUID
    name: str
    kind: str
    closed: bool
    opened_on: date
    opening: Money
    balance: Money  # at the end of ``as_of`` (or now): opening + every transaction booked by then


@dataclass(frozen=True, slots=True)
class BalancePoint:
    """The balance at the end of the period that starts on ``period``."""

    period: date
    currency: str
    balance: Money
    account_id: UUID | None  # None: the sum over the owner's accounts in this currency


@dataclass(frozen=True, slots=True)
class CategoryNode:
    id: UUID
    name: str
    kind: str
    parent_id: UUID | None
    archived: bool
    depth: int  # 0 for a root


@dataclass(frozen=True, slots=True)
class CategoryTotal:
    """One category's total in one month: its own transactions plus its whole subtree's."""

    month: date  # the first day of the month
    category_id: UUID | None  # None: uncategorised
    kind: str  # "income" (amounts > 0) or "expense"
    total: Money
    count: int  # transactions (split lines count one each)


@dataclass(frozen=True, slots=True)
class CashFlowMonth:
    """Money in and out in one month and currency; categories of kind ``transfer`` are left out."""

    month: date
    currency: str
    income: Money
    expense: Money  # negative or zero
    net: Money
