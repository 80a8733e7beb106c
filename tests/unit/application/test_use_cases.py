"""Use cases end to end on the in-memory recorders: what each command leaves behind."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest

from application.categories import CategoryTreeTooDeep
from application.errors import EmailTaken, RecordNotFound, WeakPassword, WrongPassword
from application.transactions import BulkEdit, NewTransaction, SplitRequest
from domain.errors import CategoryCycle, TransactionDeleted
from domain.transaction import Transaction
from tests.unit.application.conftest import Services, open_account

ALICE = uuid4()


def account(services: Services) -> UUID:
    return open_account(services, ALICE)


def category(services: Services, name: str, parent: UUID | None = None) -> UUID:
    outcome = services.categories.create(ALICE, name=name, kind="expense", parent_id=parent)
    return UUID(outcome.answer["id"])


def record(services: Services, account_id: UUID, amount: str = "-12.50") -> UUID:
    new = NewTransaction(account_id=account_id, amount=amount, booked_on=date(2026, 2, 1))
    return UUID(services.transactions.record(ALICE, new).answer["id"])


def load(services: Services, transaction_id: UUID) -> Transaction:
    transaction: Transaction = services.ledger.repository.get(transaction_id)
    return transaction


def test_bulk_categorise_changes_every_transaction(services: Services) -> None:
    account_id, food = account(services), category(services, "Food")
    ids = tuple(record(services, account_id) for _ in range(3))
    services.transactions.bulk(ALICE, BulkEdit(action="categorise", ids=ids, category_id=food))
    assert {load(services, i).category_id for i in ids} == {food}


def test_bulk_edit_is_all_or_nothing(services: Services) -> None:
    account_id, food = account(services), category(services, "Food")
    ids = tuple(record(services, account_id) for _ in range(3))
    services.transactions.delete(ALICE, ids[1])
    with pytest.raises(TransactionDeleted):
        services.transactions.bulk(ALICE, BulkEdit(action="categorise", ids=ids, category_id=food))
    assert load(services, ids[0]).category_id is None


def test_split_lines_in_the_accounts_currency_are_recorded(services: Services) -> None:
    account_id, food, home = (
        account(services),
        category(services, "Food"),
        category(services, "Home"),
    )
    transaction_id = record(services, account_id, "-30.00")
    services.transactions.split(
        ALICE,
        transaction_id,
        [SplitRequest(food, "-10.00"), SplitRequest(home, "-20.00", memo="lamp")],
    )
    allocations = load(services, transaction_id).allocations
    assert [(a.category_id, str(a.amount.amount)) for a in allocations] == [
        (food, "-10.00"),
        (home, "-20.00"),
    ]


def test_amend_parses_the_amount_in_the_transactions_currency(services: Services) -> None:
    transaction_id = record(services, account(services))
    services.transactions.amend(ALICE, transaction_id, {"amount": "-99.99", "payee": "Bakery"})
    transaction = load(services, transaction_id)
    assert (str(transaction.amount.amount), transaction.payee) == ("-99.99", "Bakery")


def test_moving_a_category_under_its_own_descendant_is_refused(services: Services) -> None:
    root = category(services, "Root")
    child = category(services, "Child", parent=root)
    grandchild = category(services, "Grandchild", parent=child)
    with pytest.raises(CategoryCycle):
        services.categories.move(ALICE, root, grandchild)


def test_a_category_tree_deeper_than_the_limit_is_refused(services: Services) -> None:
    parent = category(services, "Level 0")
    with pytest.raises(CategoryTreeTooDeep):  # noqa: PT012 - the limit is hit inside the loop
        for level in range(1, 40):
            parent = category(services, f"Level {level}", parent=parent)


def test_registering_an_address_twice_is_a_conflict(services: Services) -> None:
    services.users.register("ada@example.org", "correct horse battery")
    with pytest.raises(EmailTaken):
        services.users.register("ADA@example.org ", "another long password")


def test_a_weak_password_is_refused_before_anything_is_recorded(services: Services) -> None:
    before = services.ledger.recorder.max_notification_id()
    with pytest.raises(WeakPassword):
        services.users.register("ada@example.org", "short")
    assert services.ledger.recorder.max_notification_id() == before


def test_authentication_accepts_the_right_password_only(services: Services) -> None:
    user_id = services.users.register("ada@example.org", "correct horse battery")
    assert services.users.authenticate("Ada@Example.org", "correct horse battery") == user_id
    assert services.users.authenticate("ada@example.org", "wrong horse battery") is None
    assert services.users.authenticate("nobody@example.org", "correct horse battery") is None


def test_changing_the_password_needs_the_current_one(services: Services) -> None:
    user_id = services.users.register("ada@example.org", "correct horse battery")
    with pytest.raises(WrongPassword):
        services.users.change_password(user_id, "not it at all", "a brand new passphrase")
    services.users.change_password(user_id, "correct horse battery", "a brand new passphrase")
    assert services.users.authenticate("ada@example.org", "a brand new passphrase") == user_id


def test_erasing_a_user_records_the_erasure_then_shreds_their_keys(services: Services) -> None:
    user_id = services.users.register("ada@example.org", "correct horse battery")
    services.users.erase(user_id)
    assert services.shredder.shredded == [user_id]
    with pytest.raises(RecordNotFound):
        services.users.get(user_id)
    assert services.users.authenticate("ada@example.org", "correct horse battery") is None


def test_an_erase_interrupted_before_the_shred_can_be_finished(services: Services) -> None:
    user_id = services.users.register("ada@example.org", "correct horse battery")
    services.shredder.crash_next = True
    with pytest.raises(RuntimeError):
        services.users.erase(user_id)
    assert services.shredder.shredded == []

    services.users.erase(user_id)

    assert services.shredder.shredded == [user_id]
