"""A transaction records what the bank now says differs, without applying it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import uuid4

from domain.account import Account, AccountKind
from domain.actor import Actor
from domain.money import Money
from domain.transaction import Transaction, TransactionSource


def _transaction() -> Transaction:
    owner = uuid4()
    account = Account.open(
        id=uuid4(), owner_id=owner, name="Giro", kind=AccountKind.CHECKING, currency="EUR",
        opening_balance=Money(Decimal(0), "EUR"), opened_on=date(2020, 1, 1),
        actor=Actor.user(owner),
    )  # fmt: skip
    return Transaction.record(
        account, id=uuid4(), amount=Money(Decimal("-4.50"), "EUR"), booked_on=date(2024, 1, 2),
        source=TransactionSource.IMPORT, actor=Actor.import_(uuid4()),
    )  # fmt: skip


def test_a_proposed_change_leaves_the_transaction_as_it_was() -> None:
    transaction = _transaction()
    assert transaction.propose_change({"amount": Decimal("-5.50")}, actor=Actor.system())
    assert transaction.amount == Money(Decimal("-4.50"), "EUR")
    assert transaction.proposed_changes == {"amount": Decimal("-5.50")}


def test_proposing_the_same_change_twice_records_it_once() -> None:
    transaction = _transaction()
    transaction.propose_change({"amount": Decimal("-5.50")}, actor=Actor.system())
    version = transaction.version
    assert not transaction.propose_change({"amount": Decimal("-5.50")}, actor=Actor.system())
    assert transaction.version == version
