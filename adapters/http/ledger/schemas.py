"""Request and response bodies of the ledger API: snake_case JSON, amounts as decimal strings.

Amounts are strings in plain decimal notation (``"-12.50"``): the pattern refuses exponents
(``1e400``), ``NaN``, ``Infinity`` and anything longer than any legal amount before the domain's
``Money`` checks the currency's decimals and the 10^15 bound. Unknown fields are refused.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec

AMOUNT_PATTERN = r"^[+-]?[0-9]{1,15}(\.[0-9]{1,4})?$"
Amount = Annotated[str, msgspec.Meta(pattern=AMOUNT_PATTERN, max_length=21, examples=["-42.50"])]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200, examples=["Everyday account"])]
Text200 = Annotated[str, msgspec.Meta(max_length=200)]
Text1000 = Annotated[str, msgspec.Meta(max_length=1000)]
Text4000 = Annotated[str, msgspec.Meta(max_length=4000)]
Tag = Annotated[str, msgspec.Meta(min_length=1, max_length=50, examples=["holiday"])]
Tags = Annotated[list[Tag], msgspec.Meta(max_length=20)]
Currency = Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{3}$", examples=["EUR"])]
Iban = Annotated[str, msgspec.Meta(max_length=42, examples=["DE89370400440532013000"])]
Day = Annotated[date, msgspec.Meta(examples=["2026-01-31"])]
AccountKind = Literal["checking", "savings", "credit_card", "cash", "loan", "investment"]
CategoryKind = Literal["income", "expense", "transfer"]


class CommandOut(msgspec.Struct):
    """What a command answers: the record it touched and the log position it reached."""

    id: UUID
    position: int


class BulkOut(msgspec.Struct):
    ids: list[UUID]
    position: int


# ---- accounts -------------------------------------------------------------------------------


class OpenAccount(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    kind: AccountKind
    currency: Currency
    opened_on: Day
    opening_balance: Amount = "0"


class RenameAccount(msgspec.Struct, forbid_unknown_fields=True):
    name: Name


class AccountOut(msgspec.Struct):
    id: UUID
    name: str
    kind: str
    currency: str
    opened_on: date
    opening_balance: str
    balance: str
    closed: bool


# ---- categories -----------------------------------------------------------------------------


class CreateCategory(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    kind: CategoryKind
    parent_id: UUID | None = None


class ChangeCategory(msgspec.Struct, forbid_unknown_fields=True):
    """Rename (``name``) and/or move (``parent_id``; ``null`` makes it a root)."""

    name: Name | msgspec.UnsetType = msgspec.UNSET
    parent_id: UUID | msgspec.UnsetType | None = msgspec.UNSET


class CategoryOut(msgspec.Struct):
    id: UUID
    name: str
    kind: str
    parent_id: UUID | None
    archived: bool
    depth: int


# ---- transactions ---------------------------------------------------------------------------


class RecordTransaction(msgspec.Struct, forbid_unknown_fields=True):
    account_id: UUID
    amount: Amount
    booked_on: Day
    value_date: Day | None = None
    payee: Text200 = ""
    description: Text1000 = ""
    notes: Text4000 = ""
    counterparty_name: Text200 = ""
    counterparty_iban: Iban | None = None
    category_id: UUID | None = None
    tags: Tags = msgspec.field(default_factory=list)


class ChangeTransaction(msgspec.Struct, forbid_unknown_fields=True):
    """Only the fields present change. ``category_id: null`` uncategorises; ``add_tags`` and
    ``remove_tags`` tag and untag."""

    amount: Amount | msgspec.UnsetType = msgspec.UNSET
    booked_on: Day | msgspec.UnsetType = msgspec.UNSET
    value_date: Day | msgspec.UnsetType | None = msgspec.UNSET
    payee: Text200 | msgspec.UnsetType = msgspec.UNSET
    description: Text1000 | msgspec.UnsetType = msgspec.UNSET
    notes: Text4000 | msgspec.UnsetType = msgspec.UNSET
    counterparty_name: Text200 | msgspec.UnsetType = msgspec.UNSET
    counterparty_iban: Iban | msgspec.UnsetType | None = msgspec.UNSET
    category_id: UUID | msgspec.UnsetType | None = msgspec.UNSET
    add_tags: Tags = msgspec.field(default_factory=list)
    remove_tags: Tags = msgspec.field(default_factory=list)


class SplitLineIn(msgspec.Struct, forbid_unknown_fields=True):
    category_id: UUID
    amount: Amount
    memo: Text200 = ""


class SplitTransaction(msgspec.Struct, forbid_unknown_fields=True):
    lines: Annotated[list[SplitLineIn], msgspec.Meta(min_length=1, max_length=100)]


class Amendment(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    amount: Amount | msgspec.UnsetType = msgspec.UNSET
    booked_on: Day | msgspec.UnsetType = msgspec.UNSET
    value_date: Day | msgspec.UnsetType | None = msgspec.UNSET
    payee: Text200 | msgspec.UnsetType = msgspec.UNSET
    description: Text1000 | msgspec.UnsetType = msgspec.UNSET
    notes: Text4000 | msgspec.UnsetType = msgspec.UNSET
    counterparty_name: Text200 | msgspec.UnsetType = msgspec.UNSET
    counterparty_iban: Iban | msgspec.UnsetType | None = msgspec.UNSET


class BulkEditIn(msgspec.Struct, forbid_unknown_fields=True):
    """One action on up to 1000 transactions, all or nothing."""

    action: Literal["categorise", "tag", "untag", "delete", "restore", "amend"]
    ids: Annotated[list[UUID], msgspec.Meta(min_length=1, max_length=1000)]
    category_id: UUID | None = None
    tag: Tag | None = None
    changes: Amendment | None = None


class SplitLineOut(msgspec.Struct):
    category_id: UUID
    amount: str
    memo: str


class TransactionOut(msgspec.Struct):
    id: UUID
    account_id: UUID
    amount: str
    currency: str
    booked_on: date
    value_date: date | None
    payee: str
    description: str
    notes: str
    counterparty_name: str
    counterparty_iban: str | None
    external_reference: str | None
    category_id: UUID | None
    tags: list[str]
    source: str
    splits: list[SplitLineOut]
    deleted: bool
    position: int


class TransactionPageOut(msgspec.Struct):
    items: list[TransactionOut]
    next_cursor: str | None


class HistoryEntryOut(msgspec.Struct):
    position: int
    at: datetime
    actor: str
    event: str
    changes: dict[str, Any]


# ---- reports --------------------------------------------------------------------------------


class BalancePointOut(msgspec.Struct):
    period: date
    currency: str
    balance: str
    account_id: UUID | None


class CategoryTotalOut(msgspec.Struct):
    month: date
    category_id: UUID | None
    kind: str
    currency: str
    total: str
    count: int


class CashFlowOut(msgspec.Struct):
    month: date
    currency: str
    income: str
    expense: str
    net: str
