"""The working copy of one transaction's query-table rows while a page is folded.

Clear columns (ids, amounts, dates, categories, tags, flags) are kept as values; personal text is
kept sealed. A fold changes text by putting plaintext in ``pending``; ``seal_pending`` then seals
those fields and says the blind index must be rebuilt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import UUID

TABLE = "rm_transactions"
SPLIT_TABLE = "rm_transaction_splits"
TEXT_FIELDS = (
    "payee",
    "counterparty_name",
    "counterparty_iban",
    "description",
    "notes",
    "external_reference",
)
SEARCHABLE_FIELDS = ("payee", "counterparty_name", "counterparty_iban", "description", "notes")


@dataclass(slots=True)
class SplitLineState:
    category_id: UUID
    amount: Decimal
    memo: bytes  # sealed
    memo_text: str | None = None  # plaintext not yet sealed


@dataclass(slots=True)
class TransactionState:
    id: UUID
    owner_id: UUID
    account_id: UUID
    amount: Decimal
    currency: str
    booked_on: date
    value_date: date | None
    category_id: UUID | None
    source: str
    deleted: bool
    position: int
    tags: tuple[str, ...] = ()
    splits: tuple[SplitLineState, ...] = ()
    sealed: dict[str, bytes | None] = field(default_factory=dict)
    pending: dict[str, str | None] = field(default_factory=dict)  # plaintext not yet sealed
