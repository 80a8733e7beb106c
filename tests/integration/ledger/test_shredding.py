"""After a user is shredded their events load as tombstones; everyone else's are untouched."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from application.errors import RecordNotFound
from application.transactions import NewTransaction
from domain.account import Account
from domain.tombstone import Erased, Shredded
from ops.bootstrap import Runtime


def populate(runtime: Runtime) -> tuple[UUID, list[UUID]]:
    user_id = runtime.users.register(f"{uuid4().hex}@example.org", "correct horse battery staple")
    account = runtime.accounts.open(
        user_id,
        name="Main",
        kind="checking",
        currency="EUR",
        opening_balance="5.00",
        opened_on=date(2026, 1, 1),
    )
    account_id = UUID(account.answer["id"])
    food = UUID(runtime.categories.create(user_id, name="Food", kind="expense").answer["id"])
    new = NewTransaction(
        account_id=account_id, amount="-3.20", booked_on=date(2026, 1, 5), category_id=food
    )
    transaction_id = UUID(runtime.transactions.record(user_id, new).answer["id"])
    runtime.transactions.tag(user_id, transaction_id, "bakery")
    return user_id, [user_id, account_id, food, transaction_id]


def test_a_shredded_users_aggregates_load_as_erased_without_an_exception(runtime: Runtime) -> None:
    alice, alices_ids = populate(runtime)
    runtime.users.erase(alice)
    for aggregate_id in alices_ids:
        assert isinstance(runtime.ledger.repository.get(aggregate_id), Erased)


def test_the_use_cases_treat_a_shredded_users_records_as_not_found(runtime: Runtime) -> None:
    alice, (_, account_id, _, _) = populate(runtime)
    runtime.users.erase(alice)
    with pytest.raises(RecordNotFound):
        runtime.accounts.rename(alice, account_id, "Anything")


def test_another_users_data_still_loads_after_a_shred(runtime: Runtime) -> None:
    alice, _ = populate(runtime)
    bob, (_, bobs_account, _, _) = populate(runtime)
    runtime.users.erase(alice)
    account: object = runtime.ledger.repository.get(bobs_account)
    assert isinstance(account, Account)
    assert (account.name, str(account.opening_balance.amount)) == ("Main", "5.00")
    assert runtime.users.get(bob).id == bob


def test_a_full_scan_of_the_log_completes_with_tombstones_for_the_shredded_user_only(
    runtime: Runtime,
) -> None:
    alice, _ = populate(runtime)
    bob, _ = populate(runtime)
    runtime.users.erase(alice)

    decoded: list[Any] = [
        runtime.ledger.mapper.to_domain_event(notification)
        for notification in runtime.ledger.recorder.select_notifications(start=None, limit=10_000)
    ]
    tombstone_owners = {e.owner_id for e in decoded if isinstance(e, Shredded)}
    readable_owners = {e.owner_id for e in decoded if not isinstance(e, Shredded)}
    assert tombstone_owners == {alice}
    assert readable_owners == {bob}
    assert len(decoded) == runtime.ledger.recorder.max_notification_id()


def test_recording_in_a_shredded_users_account_is_not_found(runtime: Runtime) -> None:
    alice, (_, account_id, food, _) = populate(runtime)  # recording put the account in the cache
    runtime.users.erase(alice)
    before = runtime.ledger.recorder.max_notification_id()
    new = NewTransaction(
        account_id=account_id, amount="-1.00", booked_on=date(2026, 1, 6), category_id=food
    )
    with pytest.raises(RecordNotFound):
        runtime.transactions.record(alice, new)
    assert runtime.ledger.recorder.max_notification_id() == before
