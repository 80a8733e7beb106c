"""Aggregates in a usable state, built through their commands, with their events collected."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest

from domain.account import Account, AccountKind
from domain.actor import Actor
from domain.category import Category
from domain.money import Money
from domain.transaction import Transaction
from tests.unit.domain.builders import make_category


@pytest.fixture
def owner_id() -> UUID:
    return uuid4()


@pytest.fixture
def actor(owner_id: UUID) -> Actor:
    return Actor.user(owner_id)


@pytest.fixture
def account(owner_id: UUID, actor: Actor) -> Account:
    account = Account.open(
        id=uuid4(),
        owner_id=owner_id,
        name="Current account",
        kind=AccountKind.CHECKING,
        currency="EUR",
        opening_balance=Money.parse("100.00", "EUR"),
        opened_on=date(2024, 1, 1),
        actor=actor,
    )
    account.collect_events()
    return account


@pytest.fixture
def category(owner_id: UUID) -> Category:
    return make_category(owner_id)


@pytest.fixture
def transaction(account: Account, actor: Actor) -> Transaction:
    transaction = Transaction.record(
        account,
        id=uuid4(),
        amount=Money.parse("-42.50", "EUR"),
        booked_on=date(2024, 3, 1),
        payee="Corner shop",
        actor=actor,
    )
    transaction.collect_events()
    return transaction
