"""Use cases for transactions: record, amend, categorise, tag, split, delete, restore, bulk."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from application.command import CommandRunner, Outcome, request_hash
from application.errors import TooManyItems, choice
from application.ledger import Ledger
from application.loading import load_owned
from domain.account import Account
from domain.actor import Actor
from domain.category import Category
from domain.errors import RuleBroken
from domain.money import Money
from domain.split import SplitLine
from domain.transaction import UNCHANGED, Transaction, TransactionSource

BULK_LIMIT = 1000
AMENDABLE = frozenset(
    {"amount", "booked_on", "value_date", "payee", "counterparty_name", "counterparty_iban",
     "description", "notes"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class NewTransaction:
    account_id: UUID
    amount: str  # signed decimal string in the account's currency
    booked_on: date
    value_date: date | None = None
    payee: str = ""
    counterparty_name: str = ""
    counterparty_iban: str | None = None
    description: str = ""
    notes: str = ""
    category_id: UUID | None = None
    tags: tuple[str, ...] = ()
    source: str = TransactionSource.MANUAL.value
    external_reference: str | None = None


@dataclass(frozen=True, slots=True)
class SplitRequest:
    category_id: UUID
    amount: str
    memo: str = ""


@dataclass(frozen=True, slots=True)
class TransactionChange:
    """Several edits of one transaction, saved together or not at all (a PATCH)."""

    changes: dict[str, Any] = field(default_factory=dict)  # amended fields -> new values
    set_category: bool = False  # whether to (un)categorise, to ``category_id``
    category_id: UUID | None = None  # None with ``set_category``: uncategorise
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BulkEdit:
    """One action applied to many transactions: ``categorise``, ``tag``, ``untag``, ``delete``,
    ``restore`` or ``amend``."""

    action: str
    ids: tuple[UUID, ...]
    category_id: UUID | None = None
    tag: str | None = None
    changes: dict[str, Any] = field(default_factory=dict)


class Transactions:
    def __init__(self, ledger: Ledger, runner: CommandRunner) -> None:
        self._ledger = ledger
        self._runner = runner

    def record(
        self,
        user_id: UUID,
        new: NewTransaction,
        *,
        id: UUID | None = None,
        actor: Actor | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome:
        transaction_id = id or uuid4()
        source = choice(TransactionSource, new.source, field="source")

        def command() -> list[Transaction]:
            account = load_owned(
                self._ledger, Account, new.account_id, user_id, reads=self._runner.reads
            )
            category = self._category(user_id, new.category_id)
            return [
                Transaction.record(
                    account,
                    id=transaction_id,
                    amount=Money.parse(new.amount, account.currency),
                    booked_on=new.booked_on,
                    value_date=new.value_date,
                    payee=new.payee,
                    counterparty_name=new.counterparty_name,
                    counterparty_iban=new.counterparty_iban,
                    description=new.description,
                    notes=new.notes,
                    category=category,
                    tags=new.tags,
                    source=source,
                    external_reference=new.external_reference,
                    actor=actor or Actor.user(user_id),
                )
            ]

        return self._runner.run(
            command,
            owner_id=user_id,
            answer={"id": str(transaction_id)},
            idempotency_key=idempotency_key,
            fingerprint=lambda: request_hash(op="record_transaction", **_fields(new)),
        )

    def amend(self, user_id: UUID, transaction_id: UUID, changes: dict[str, Any]) -> Outcome:
        return self._edit(user_id, [transaction_id], self._amender(changes))

    def categorise(self, user_id: UUID, transaction_id: UUID, category_id: UUID | None) -> Outcome:
        return self._edit(user_id, [transaction_id], self._categoriser(user_id, category_id))

    def tag(self, user_id: UUID, transaction_id: UUID, tag: str) -> Outcome:
        return self._edit(user_id, [transaction_id], _tagger(tag))

    def untag(self, user_id: UUID, transaction_id: UUID, tag: str) -> Outcome:
        return self._edit(user_id, [transaction_id], _untagger(tag))

    def change(self, user_id: UUID, transaction_id: UUID, change: TransactionChange) -> Outcome:
        """Amend, (un)categorise and (un)tag in one command: if any step is refused (an unknown
        category, an invalid amount), nothing of the others is saved either."""
        steps: list[Callable[[Transaction, Actor], None]] = []
        if change.changes:
            steps.append(self._amender(change.changes))
        if change.set_category:
            steps.append(self._categoriser(user_id, change.category_id))
        steps += [_tagger(tag) for tag in change.add_tags]
        steps += [_untagger(tag) for tag in change.remove_tags]

        def apply(transaction: Transaction, actor: Actor) -> None:
            for step in steps:
                step(transaction, actor)

        return self._edit(user_id, [transaction_id], apply)

    def split(self, user_id: UUID, transaction_id: UUID, lines: Sequence[SplitRequest]) -> Outcome:
        def apply(transaction: Transaction, actor: Actor) -> None:
            transaction.split(
                [
                    SplitLine(
                        category=load_owned(self._ledger, Category, line.category_id, user_id),
                        amount=Money.parse(line.amount, transaction.currency),
                        memo=line.memo,
                    )
                    for line in lines
                ],
                actor=actor,
            )

        return self._edit(user_id, [transaction_id], apply)

    def clear_split(self, user_id: UUID, transaction_id: UUID) -> Outcome:
        return self._edit(user_id, [transaction_id], lambda t, a: t.clear_split(actor=a))

    def delete(self, user_id: UUID, transaction_id: UUID) -> Outcome:
        return self._edit(user_id, [transaction_id], lambda t, a: t.delete(actor=a))

    def restore(self, user_id: UUID, transaction_id: UUID) -> Outcome:
        return self._edit(user_id, [transaction_id], lambda t, a: t.restore(actor=a))

    def bulk(self, user_id: UUID, edit: BulkEdit) -> Outcome:
        """Apply one action to up to ``BULK_LIMIT`` transactions, all or nothing."""
        if len(edit.ids) > BULK_LIMIT:
            raise TooManyItems(BULK_LIMIT)
        actions: dict[str, Callable[[], Callable[[Transaction, Actor], None]]] = {
            "categorise": lambda: self._categoriser(user_id, edit.category_id),
            "tag": lambda: _tagger(edit.tag or ""),
            "untag": lambda: _untagger(edit.tag or ""),
            "delete": lambda: lambda t, a: t.delete(actor=a),
            "restore": lambda: lambda t, a: t.restore(actor=a),
            "amend": lambda: self._amender(edit.changes),
        }
        action = choice(_BulkAction, edit.action, field="action")
        return self._edit(user_id, list(dict.fromkeys(edit.ids)), actions[action.value]())

    def _edit(
        self,
        user_id: UUID,
        ids: Iterable[UUID],
        apply: Callable[[Transaction, Actor], None],
    ) -> Outcome:
        actor = Actor.user(user_id)
        ids = list(ids)

        def command() -> list[Transaction]:
            transactions = [load_owned(self._ledger, Transaction, i, user_id) for i in ids]
            for transaction in transactions:
                apply(transaction, actor)
            return transactions

        answer: dict[str, Any] = (
            {"ids": [str(i) for i in ids]} if len(ids) != 1 else {"id": str(ids[0])}
        )
        return self._runner.run(command, owner_id=user_id, answer=answer)

    def _categoriser(
        self, user_id: UUID, category_id: UUID | None
    ) -> Callable[[Transaction, Actor], None]:
        loaded: list[Category | None] = []  # one load per edit, not one per transaction

        def apply(transaction: Transaction, actor: Actor) -> None:
            if not loaded:
                loaded.append(self._category(user_id, category_id))
            category = loaded[0]
            if category is None:
                transaction.uncategorise(actor=actor)
            else:
                transaction.categorise(category, actor=actor)

        return apply

    def _amender(self, changes: dict[str, Any]) -> Callable[[Transaction, Actor], None]:
        unknown = set(changes) - AMENDABLE
        if unknown:
            raise InvalidAmendment(sorted(unknown))

        def apply(transaction: Transaction, actor: Actor) -> None:
            fields = dict(changes)
            if "amount" in fields:
                fields["amount"] = Money.parse(str(fields["amount"]), transaction.currency)
            transaction.amend(
                **{name: fields.get(name, UNCHANGED) for name in AMENDABLE}, actor=actor
            )

        return apply

    def _category(self, user_id: UUID, category_id: UUID | None) -> Category | None:
        if category_id is None:
            return None
        return load_owned(self._ledger, Category, category_id, user_id, reads=self._runner.reads)


def _tagger(tag: str) -> Callable[[Transaction, Actor], None]:
    return lambda transaction, actor: transaction.tag(tag, actor=actor)


def _untagger(tag: str) -> Callable[[Transaction, Actor], None]:
    return lambda transaction, actor: transaction.untag(tag, actor=actor)


class _BulkAction(StrEnum):
    CATEGORISE = "categorise"
    TAG = "tag"
    UNTAG = "untag"
    DELETE = "delete"
    RESTORE = "restore"
    AMEND = "amend"


class InvalidAmendment(RuleBroken):
    def __init__(self, fields: list[str]) -> None:
        super().__init__(f"these fields cannot be amended: {', '.join(fields)}")


def _fields(new: NewTransaction) -> dict[str, Any]:
    return {name: getattr(new, name) for name in NewTransaction.__dataclass_fields__}
