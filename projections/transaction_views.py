"""What the transaction queries answer and accept: frozen DTOs the REST layer maps one to one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.money import Money


class TransactionSort(StrEnum):
    BOOKED_DESC = "-booked_on"  # newest first: the default
    BOOKED_ASC = "booked_on"
    AMOUNT_DESC = "-amount"
    AMOUNT_ASC = "amount"


@dataclass(frozen=True, slots=True)
class TransactionFilters:
    account_ids: frozenset[UUID] = frozenset()
    category_ids: frozenset[UUID] = frozenset()  # each with its whole subtree
    booked_from: date | None = None  # inclusive
    booked_to: date | None = None  # inclusive
    value_from: date | None = None
    value_to: date | None = None
    amount_min: Decimal | None = None  # signed, in major units of each transaction's currency
    amount_max: Decimal | None = None
    q: str | None = None  # words (3+ characters) in payee, counterparty, IBAN, description, notes
    tags: frozenset[str] = frozenset()  # all of them
    uncategorised: bool = False
    source: str | None = None


@dataclass(frozen=True, slots=True)
class SplitLineView:
    category_id: UUID
    amount: Money
    memo: str


@dataclass(frozen=True, slots=True)
class TransactionView:
    id: UUID
    account_id: UUID
    amount: Money
    booked_on: date
    value_date: date | None
    payee: str
    counterparty_name: str
    counterparty_iban: str | None
    description: str
    notes: str
    external_reference: str | None
    category_id: UUID | None
    tags: tuple[str, ...]
    source: str
    splits: tuple[SplitLineView, ...]
    deleted: bool
    position: int  # the log position of the last change


@dataclass(frozen=True, slots=True)
class TransactionPage:
    items: tuple[TransactionView, ...]
    next_cursor: str | None  # None: this is the last page


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    position: int
    at: datetime  # UTC
    actor: str  # "user:<uuid>", "import:<uuid>", "rule:<uuid>" or "system"
    event: str  # Recorded, Amended, Categorised, Uncategorised, Tagged, Untagged, Split, ...
    changes: Mapping[str, Any] = field(default_factory=dict)  # field -> new value (JSON-ready)
