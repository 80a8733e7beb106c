"""Others' ids behave exactly like ids that do not exist."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest

from application.errors import RecordNotFound
from application.transactions import NewTransaction
from tests.unit.application.conftest import Services, open_account

ALICE, BOB = uuid4(), uuid4()


def open_alices_account(services: Services) -> UUID:
    return open_account(services, ALICE)


def test_renaming_another_users_account_is_not_found(services: Services) -> None:
    account_id = open_alices_account(services)
    with pytest.raises(RecordNotFound):
        services.accounts.rename(BOB, account_id, "Mine now")


def test_recording_on_another_users_account_is_not_found(services: Services) -> None:
    new = NewTransaction(
        account_id=open_alices_account(services), amount="-1.00", booked_on=date(2026, 1, 2)
    )
    with pytest.raises(RecordNotFound):
        services.transactions.record(BOB, new)


def test_categorising_with_another_users_category_is_not_found(services: Services) -> None:
    new = NewTransaction(
        account_id=open_alices_account(services), amount="-1.00", booked_on=date(2026, 1, 2)
    )
    transaction_id = UUID(services.transactions.record(ALICE, new).answer["id"])
    bobs = UUID(services.categories.create(BOB, name="Food", kind="expense").answer["id"])
    with pytest.raises(RecordNotFound):
        services.transactions.categorise(ALICE, transaction_id, bobs)


def test_a_category_id_used_as_a_transaction_id_is_not_found(services: Services) -> None:
    category_id = UUID(services.categories.create(ALICE, name="Food", kind="expense").answer["id"])
    with pytest.raises(RecordNotFound):
        services.transactions.delete(ALICE, category_id)
