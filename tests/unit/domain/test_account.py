from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from domain.account import Account, AccountKind
from domain.actor import Actor
from domain.errors import (
    AccountAlreadyClosed,
    AccountClosed,
    AccountNotClosed,
    CurrencyMismatch,
    InvalidText,
)
from domain.money import Money
from domain.transaction import Transaction


def open_account(
    owner_id: UUID,
    *,
    account_id: UUID | None = None,
    name: str = "Savings",
    opening_balance: Money | None = None,
) -> Account:
    return Account.open(
        id=account_id or uuid4(),
        owner_id=owner_id,
        name=name,
        kind=AccountKind.SAVINGS,
        currency="EUR",
        opening_balance=opening_balance or Money.zero("EUR"),
        opened_on=date(2024, 1, 1),
        actor=Actor.user(owner_id),
    )


def record(account: Account, amount: Money) -> Transaction:
    return Transaction.record(
        account, id=uuid4(), amount=amount, booked_on=date(2024, 2, 1), actor=Actor.system()
    )


def test_opening_an_account_records_it_under_the_given_id(owner_id: UUID) -> None:
    account_id = uuid4()

    account = open_account(
        owner_id, account_id=account_id, opening_balance=Money.parse("12.5", "EUR")
    )

    [opened] = account.collect_events()
    assert isinstance(opened, Account.Opened)
    assert (account.id, opened.opening_balance, opened.currency, opened.kind) == (
        account_id,
        Decimal("12.50"),
        "EUR",
        "savings",
    )


def test_opening_with_a_balance_in_another_currency_is_refused(owner_id: UUID) -> None:
    with pytest.raises(CurrencyMismatch):
        open_account(owner_id, opening_balance=Money.parse("1", "USD"))


def test_opening_with_a_blank_name_is_refused(owner_id: UUID) -> None:
    with pytest.raises(InvalidText):
        open_account(owner_id, name="  ")


def test_renaming_records_the_cleaned_name(account: Account, actor: Actor) -> None:
    account.rename(" Daily ", actor=actor)

    [renamed] = account.collect_events()
    assert isinstance(renamed, Account.Renamed)
    assert account.name == "Daily"


def test_closing_a_closed_account_is_refused(account: Account, actor: Actor) -> None:
    account.close(actor=actor)

    with pytest.raises(AccountAlreadyClosed):
        account.close(actor=actor)


def test_reopening_an_open_account_is_refused(account: Account, actor: Actor) -> None:
    with pytest.raises(AccountNotClosed):
        account.reopen(actor=actor)


def test_a_reopened_account_accepts_transactions_again(account: Account, actor: Actor) -> None:
    account.close(actor=actor)
    account.reopen(actor=actor)

    transaction = record(account, Money.parse("1", "EUR"))

    assert transaction.account_id == account.id


def test_renaming_a_closed_account_is_refused(account: Account, actor: Actor) -> None:
    account.close(actor=actor)

    with pytest.raises(AccountClosed):
        account.rename("Old", actor=actor)


def test_a_closed_account_refuses_new_transactions(account: Account, actor: Actor) -> None:
    account.close(actor=actor)

    with pytest.raises(AccountClosed):
        record(account, Money.parse("1", "EUR"))


def test_a_transaction_in_another_currency_is_refused(account: Account) -> None:
    with pytest.raises(CurrencyMismatch):
        record(account, Money.parse("1", "USD"))
