"""Transaction: money that moved in or out of an account, as the bank or the user told us.

A deleted transaction refuses every command but ``restore``. A split (``allocations``), when
present, says how the amount divides between categories and takes precedence over
``category_id`` in reports.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.account import Account
from domain.actor import Actor
from domain.base import OwnedAggregate
from domain.category import Category
from domain.errors import (
    CurrencyMismatch,
    InvalidText,
    SplitDoesNotBalance,
    TransactionDeleted,
    TransactionNotDeleted,
)
from domain.money import Money
from domain.split import Allocation, SplitLine, allocate
from domain.text import (
    MAX_TAGS,
    clean_counterparty_name,
    clean_description,
    clean_external_reference,
    clean_notes,
    clean_payee,
    clean_tag,
    clean_tags,
    normalise_iban,
)


class TransactionSource(StrEnum):
    MANUAL = "manual"
    IMPORT = "import"  # a statement file
    CONNECTION = "connection"  # a bank link


class Unchanged(Enum):
    """The default of ``amend``'s fields: keep the value (``None`` clears a nullable field)."""

    UNCHANGED = "unchanged"


UNCHANGED = Unchanged.UNCHANGED


class Transaction(OwnedAggregate):
    class Recorded(OwnedAggregate.Created):
        account_id: UUID
        amount: Decimal
        currency: str
        booked_on: date
        value_date: date | None
        payee: str
        counterparty_name: str
        counterparty_iban: str | None
        description: str
        notes: str
        category_id: UUID | None
        tags: tuple[str, ...]
        source: str
        external_reference: str | None

    class Amended(OwnedAggregate.Event):
        changes: dict[str, Any]  # field name -> new value; the amount as a Decimal

    class Categorised(OwnedAggregate.Event):
        category_id: UUID

    class Uncategorised(OwnedAggregate.Event):
        pass

    class Tagged(OwnedAggregate.Event):
        tag: str

    class Untagged(OwnedAggregate.Event):
        tag: str

    class Split(OwnedAggregate.Event):
        lines: tuple[dict[str, Any], ...]  # {"category_id": UUID, "amount": Decimal, "memo": str}

    class SplitCleared(OwnedAggregate.Event):
        pass

    class Deleted(OwnedAggregate.Event):
        pass

    class Restored(OwnedAggregate.Event):
        pass

    class ChangeProposed(OwnedAggregate.Event):
        """The bank sent this transaction again with different content: shown for review, the
        transaction itself is unchanged."""

        changes: dict[str, Any]  # field name -> the bank's new value

    @classmethod
    def record(
        cls,
        account: Account,
        *,
        id: UUID,
        amount: Money,
        booked_on: date,
        value_date: date | None = None,
        payee: str = "",
        counterparty_name: str = "",
        counterparty_iban: str | None = None,
        description: str = "",
        notes: str = "",
        category: Category | None = None,
        tags: Iterable[str] = (),
        source: TransactionSource = TransactionSource.MANUAL,
        external_reference: str | None = None,
        actor: Actor,
    ) -> Transaction:
        """Record a transaction on ``account``, which must be open and in ``amount``'s currency."""
        account.check_can_record(amount)
        if category is not None:
            category.check_usable_by(account.owner_id)
        return cls(
            id=id,
            owner_id=account.owner_id,
            account_id=account.id,
            amount=amount.amount,
            currency=amount.currency,
            booked_on=booked_on,
            value_date=value_date,
            payee=clean_payee(payee),
            counterparty_name=clean_counterparty_name(counterparty_name),
            counterparty_iban=_clean_iban(counterparty_iban),
            description=clean_description(description),
            notes=clean_notes(notes),
            category_id=None if category is None else category.id,
            tags=clean_tags(tags),
            source=source.value,
            external_reference=clean_external_reference(external_reference),
            actor=str(actor),
        )

    def amend(
        self,
        *,
        amount: Money | Unchanged = UNCHANGED,
        booked_on: date | Unchanged = UNCHANGED,
        value_date: date | Unchanged | None = UNCHANGED,
        payee: str | Unchanged = UNCHANGED,
        counterparty_name: str | Unchanged = UNCHANGED,
        counterparty_iban: str | Unchanged | None = UNCHANGED,
        description: str | Unchanged = UNCHANGED,
        notes: str | Unchanged = UNCHANGED,
        actor: Actor,
    ) -> None:
        """Change the given fields; the event carries only those whose value differs."""
        self._check_not_deleted()
        proposed: dict[str, Any] = {}
        if amount is not UNCHANGED:
            if amount.currency != self.currency:
                raise CurrencyMismatch(expected=self.currency, actual=amount.currency)
            if self._split_lines and amount != self.amount:
                raise SplitDoesNotBalance("clear the split before changing the amount")
            proposed["amount"] = amount.amount
        if booked_on is not UNCHANGED:
            proposed["booked_on"] = booked_on
        if value_date is not UNCHANGED:
            proposed["value_date"] = value_date
        if payee is not UNCHANGED:
            proposed["payee"] = clean_payee(payee)
        if counterparty_name is not UNCHANGED:
            proposed["counterparty_name"] = clean_counterparty_name(counterparty_name)
        if counterparty_iban is not UNCHANGED:
            proposed["counterparty_iban"] = _clean_iban(counterparty_iban)
        if description is not UNCHANGED:
            proposed["description"] = clean_description(description)
        if notes is not UNCHANGED:
            proposed["notes"] = clean_notes(notes)
        changes = {
            name: value
            for name, value in proposed.items()
            if value != getattr(self, _attribute(name))
        }
        if changes:
            self._amended(changes=changes, actor=str(actor))

    def categorise(self, category: Category, *, actor: Actor) -> None:
        self._check_not_deleted()
        category.check_usable_by(self.owner_id)
        self._categorised(category_id=category.id, actor=str(actor))

    def uncategorise(self, *, actor: Actor) -> None:
        self._check_not_deleted()
        self._uncategorised(actor=str(actor))

    def tag(self, tag: str, *, actor: Actor) -> None:
        """Add ``tag``; tagging twice with the same tag records nothing the second time."""
        self._check_not_deleted()
        tag = clean_tag(tag)
        if tag in self.tags:
            return
        if len(self.tags) == MAX_TAGS:
            raise InvalidText("tags", f"more than {MAX_TAGS} tags")
        self._tagged(tag=tag, actor=str(actor))

    def untag(self, tag: str, *, actor: Actor) -> None:
        """Remove ``tag``; removing a tag the transaction does not have records nothing."""
        self._check_not_deleted()
        tag = tag.strip()
        if tag in self.tags:
            self._untagged(tag=tag, actor=str(actor))

    def split(self, lines: Sequence[SplitLine], *, actor: Actor) -> None:
        """Divide the amount between categories; the lines must add up to it exactly."""
        self._check_not_deleted()
        for line in lines:
            line.category.check_usable_by(self.owner_id)
        allocations = allocate(self.amount, lines)
        self._split(
            lines=tuple(
                {"category_id": a.category_id, "amount": a.amount.amount, "memo": a.memo}
                for a in allocations
            ),
            actor=str(actor),
        )

    def clear_split(self, *, actor: Actor) -> None:
        self._check_not_deleted()
        self._split_cleared(actor=str(actor))

    def delete(self, *, actor: Actor) -> None:
        self._check_not_deleted()
        self._deleted(actor=str(actor))

    def restore(self, *, actor: Actor) -> None:
        if not self.deleted:
            raise TransactionNotDeleted(self.id)
        self._restored(actor=str(actor))

    def propose_change(self, changes: dict[str, Any], *, actor: Actor) -> bool:
        """Record what the bank now says differs; the same proposal twice records nothing."""
        if not changes or changes == getattr(self, "proposed_changes", None):
            return False
        self._change_proposed(changes=dict(changes), actor=str(actor))
        return True

    def _check_not_deleted(self) -> None:
        if self.deleted:
            raise TransactionDeleted(self.id)

    @event(Recorded)
    def __init__(
        self,
        *,
        id: UUID,
        owner_id: UUID,
        account_id: UUID,
        amount: Decimal,
        currency: str,
        booked_on: date,
        value_date: date | None,
        payee: str,
        counterparty_name: str,
        counterparty_iban: str | None,
        description: str,
        notes: str,
        category_id: UUID | None,
        tags: tuple[str, ...],
        source: str,
        external_reference: str | None,
        actor: str,
    ) -> None:
        super().__init__(owner_id)
        self.account_id = account_id
        self._amount = amount
        self.currency = currency
        self.booked_on = booked_on
        self.value_date = value_date
        self.payee = payee
        self.counterparty_name = counterparty_name
        self.counterparty_iban = counterparty_iban
        self.description = description
        self.notes = notes
        self.category_id = category_id
        self._tags = tags
        self._source = source
        self.external_reference = external_reference
        self._split_lines: Sequence[dict[str, Any]] = ()
        self.deleted = False

    @property
    def amount(self) -> Money:
        return Money(self._amount, self.currency)

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(self._tags)  # a list once the event has been through JSON

    @property
    def source(self) -> TransactionSource:
        return TransactionSource(self._source)

    @property
    def allocations(self) -> tuple[Allocation, ...]:
        return tuple(
            Allocation(line["category_id"], Money(line["amount"], self.currency), line["memo"])
            for line in self._split_lines
        )

    @event(Amended)
    def _amended(self, changes: dict[str, Any], actor: str) -> None:
        for name, value in changes.items():
            setattr(self, _attribute(name), value)

    @event(Categorised)
    def _categorised(self, category_id: UUID, actor: str) -> None:
        self.category_id = category_id

    @event(Uncategorised)
    def _uncategorised(self, actor: str) -> None:
        self.category_id = None

    @event(Tagged)
    def _tagged(self, tag: str, actor: str) -> None:
        self._tags = (*self._tags, tag)

    @event(Untagged)
    def _untagged(self, tag: str, actor: str) -> None:
        self._tags = tuple(t for t in self._tags if t != tag)

    @event(Split)
    def _split(self, lines: tuple[dict[str, Any], ...], actor: str) -> None:
        self._split_lines = lines

    @event(SplitCleared)
    def _split_cleared(self, actor: str) -> None:
        self._split_lines = ()

    @event(Deleted)
    def _deleted(self, actor: str) -> None:
        self.deleted = True

    @event(Restored)
    def _restored(self, actor: str) -> None:
        self.deleted = False

    @event(ChangeProposed)
    def _change_proposed(self, changes: dict[str, Any], actor: str) -> None:
        self.proposed_changes = changes


def _attribute(field: str) -> str:
    """The state attribute of an amendable field: the amount is kept as the event's Decimal."""
    return "_amount" if field == "amount" else field


def _clean_iban(value: str | None) -> str | None:
    return None if value is None else normalise_iban(value)
