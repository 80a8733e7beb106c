from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from domain.account import Account
from domain.actor import Actor
from domain.category import Category
from domain.errors import (
    CategoryArchived,
    CategoryOfAnotherOwner,
    CurrencyMismatch,
    InvalidText,
    SplitDoesNotBalance,
    TransactionDeleted,
    TransactionNotDeleted,
)
from domain.money import Money
from domain.split import SplitLine
from domain.transaction import Transaction, TransactionSource
from tests.unit.domain.builders import make_category


def eur(text: str) -> Money:
    return Money.parse(text, "EUR")


def test_recording_keeps_the_account_owner_and_the_given_id(account: Account, actor: Actor) -> None:
    transaction_id = uuid4()

    transaction = Transaction.record(
        account,
        id=transaction_id,
        amount=eur("-9.99"),
        booked_on=date(2024, 3, 1),
        source=TransactionSource.IMPORT,
        external_reference="BANK-REF-1",
        actor=actor,
    )

    [recorded] = transaction.collect_events()
    assert isinstance(recorded, Transaction.Recorded)
    assert (transaction.id, recorded.owner_id, recorded.account_id) == (
        transaction_id,
        account.owner_id,
        account.id,
    )
    assert (recorded.amount, recorded.currency, recorded.source) == (
        Decimal("-9.99"),
        "EUR",
        "import",
    )


def test_recording_normalises_the_counterparty_iban(account: Account, actor: Actor) -> None:
    transaction = Transaction.record(
        account,
        id=uuid4(),
        amount=eur("1"),
        booked_on=date(2024, 3, 1),
        counterparty_iban="gb82 west 1234 5698 7654 32",
        actor=actor,
    )

    assert transaction.counterparty_iban == "GB82WEST12345698765432"


def test_recording_a_ten_kilobyte_payee_is_refused(account: Account, actor: Actor) -> None:
    with pytest.raises(InvalidText):
        Transaction.record(
            account,
            id=uuid4(),
            amount=eur("1"),
            booked_on=date(2024, 3, 1),
            payee="P" * 10_240,
            actor=actor,
        )


def test_recording_with_a_category_of_another_owner_is_refused(
    account: Account, actor: Actor
) -> None:
    with pytest.raises(CategoryOfAnotherOwner):
        Transaction.record(
            account,
            id=uuid4(),
            amount=eur("1"),
            booked_on=date(2024, 3, 1),
            category=make_category(uuid4()),
            actor=actor,
        )


def test_amending_records_only_the_fields_that_change(
    transaction: Transaction, actor: Actor
) -> None:
    transaction.amend(payee="Corner shop", notes="milk", value_date=date(2024, 3, 2), actor=actor)

    [amended] = transaction.collect_events()
    assert isinstance(amended, Transaction.Amended)
    assert amended.changes == {"notes": "milk", "value_date": date(2024, 3, 2)}


def test_amending_the_amount_keeps_it_as_money(transaction: Transaction, actor: Actor) -> None:
    transaction.amend(amount=eur("-40"), actor=actor)

    assert transaction.amount == eur("-40.00")


def test_amending_nothing_records_nothing(transaction: Transaction, actor: Actor) -> None:
    transaction.amend(payee=" Corner shop ", actor=actor)

    assert transaction.collect_events() == []


def test_amending_the_amount_to_another_currency_is_refused(
    transaction: Transaction, actor: Actor
) -> None:
    with pytest.raises(CurrencyMismatch):
        transaction.amend(amount=Money.parse("-42.50", "USD"), actor=actor)


def test_amending_with_control_characters_records_nothing(
    transaction: Transaction, actor: Actor
) -> None:
    with pytest.raises(InvalidText):
        transaction.amend(description="ok", notes="bad\x00", actor=actor)

    assert transaction.collect_events() == []


def test_categorising_records_the_category(
    transaction: Transaction, category: Category, actor: Actor
) -> None:
    transaction.categorise(category, actor=actor)

    [categorised] = transaction.collect_events()
    assert isinstance(categorised, Transaction.Categorised)
    assert transaction.category_id == category.id


def test_categorising_with_a_category_of_another_owner_is_refused(
    transaction: Transaction, actor: Actor
) -> None:
    with pytest.raises(CategoryOfAnotherOwner):
        transaction.categorise(make_category(uuid4()), actor=actor)


def test_categorising_with_an_archived_category_is_refused(
    transaction: Transaction, category: Category, actor: Actor
) -> None:
    category.archive(actor=actor)

    with pytest.raises(CategoryArchived):
        transaction.categorise(category, actor=actor)


def test_uncategorising_clears_the_category(
    transaction: Transaction, category: Category, actor: Actor
) -> None:
    transaction.categorise(category, actor=actor)

    transaction.uncategorise(actor=actor)

    assert transaction.category_id is None


def test_tagging_adds_the_tag(transaction: Transaction, actor: Actor) -> None:
    transaction.tag(" holiday ", actor=actor)

    assert transaction.tags == ("holiday",)


def test_tagging_with_a_tag_already_there_records_nothing(
    transaction: Transaction, actor: Actor
) -> None:
    transaction.tag("holiday", actor=actor)
    transaction.collect_events()

    transaction.tag("holiday", actor=actor)

    assert transaction.collect_events() == []


def test_a_twenty_first_tag_is_refused(transaction: Transaction, actor: Actor) -> None:
    for n in range(20):
        transaction.tag(f"tag{n}", actor=actor)

    with pytest.raises(InvalidText):
        transaction.tag("one too many", actor=actor)


def test_untagging_removes_the_tag(transaction: Transaction, actor: Actor) -> None:
    transaction.tag("holiday", actor=actor)
    transaction.tag("food", actor=actor)

    transaction.untag("holiday", actor=actor)

    assert transaction.tags == ("food",)


def test_splitting_records_lines_that_add_up_to_the_amount(
    transaction: Transaction, owner_id: UUID, actor: Actor
) -> None:
    food, soap = make_category(owner_id, "Food"), make_category(owner_id, "Household")

    transaction.split(
        [SplitLine(food, eur("-40.00"), "bread"), SplitLine(soap, eur("-2.50"))], actor=actor
    )

    [split] = transaction.collect_events()
    assert isinstance(split, Transaction.Split)
    assert [(a.category_id, a.amount, a.memo) for a in transaction.allocations] == [
        (food.id, eur("-40"), "bread"),
        (soap.id, eur("-2.5"), ""),
    ]


def test_a_split_that_does_not_add_up_is_refused(
    transaction: Transaction, category: Category, actor: Actor
) -> None:
    with pytest.raises(SplitDoesNotBalance):
        transaction.split(
            [SplitLine(category, eur("-40.00")), SplitLine(category, eur("-2.49"))], actor=actor
        )


def test_a_split_line_in_another_currency_is_refused(
    transaction: Transaction, category: Category, actor: Actor
) -> None:
    with pytest.raises(SplitDoesNotBalance):
        transaction.split([SplitLine(category, Money.parse("-42.50", "USD"))], actor=actor)


def test_a_split_without_lines_is_refused(transaction: Transaction, actor: Actor) -> None:
    with pytest.raises(SplitDoesNotBalance):
        transaction.split([], actor=actor)


def test_a_split_line_with_a_category_of_another_owner_is_refused(
    transaction: Transaction, actor: Actor
) -> None:
    with pytest.raises(CategoryOfAnotherOwner):
        transaction.split([SplitLine(make_category(uuid4()), eur("-42.50"))], actor=actor)


def test_changing_the_amount_of_a_split_transaction_is_refused(
    transaction: Transaction, category: Category, actor: Actor
) -> None:
    transaction.split([SplitLine(category, eur("-42.50"))], actor=actor)

    with pytest.raises(SplitDoesNotBalance):
        transaction.amend(amount=eur("-50"), actor=actor)


def test_clearing_the_split_removes_its_lines(
    transaction: Transaction, category: Category, actor: Actor
) -> None:
    transaction.split([SplitLine(category, eur("-42.50"))], actor=actor)

    transaction.clear_split(actor=actor)

    assert transaction.allocations == ()


COMMANDS_REFUSED_WHEN_DELETED: dict[str, Callable[[Transaction, Category, Actor], None]] = {
    "amend": lambda t, _, a: t.amend(payee="x", actor=a),
    "categorise": lambda t, c, a: t.categorise(c, actor=a),
    "uncategorise": lambda t, _, a: t.uncategorise(actor=a),
    "tag": lambda t, _, a: t.tag("x", actor=a),
    "untag": lambda t, _, a: t.untag("x", actor=a),
    "split": lambda t, c, a: t.split([SplitLine(c, t.amount)], actor=a),
    "clear_split": lambda t, _, a: t.clear_split(actor=a),
    "delete": lambda t, _, a: t.delete(actor=a),
}


@pytest.mark.parametrize("command", COMMANDS_REFUSED_WHEN_DELETED)
def test_a_deleted_transaction_refuses_every_command_but_restore(
    transaction: Transaction, category: Category, actor: Actor, command: str
) -> None:
    transaction.delete(actor=actor)
    transaction.collect_events()

    with pytest.raises(TransactionDeleted):
        COMMANDS_REFUSED_WHEN_DELETED[command](transaction, category, actor)
    assert transaction.collect_events() == []


def test_a_restored_transaction_accepts_commands_again(
    transaction: Transaction, category: Category, actor: Actor
) -> None:
    transaction.delete(actor=actor)

    transaction.restore(actor=actor)
    transaction.categorise(category, actor=actor)

    assert transaction.category_id == category.id


def test_restoring_a_transaction_that_is_not_deleted_is_refused(
    transaction: Transaction, actor: Actor
) -> None:
    with pytest.raises(TransactionNotDeleted):
        transaction.restore(actor=actor)
