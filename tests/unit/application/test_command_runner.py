"""Optimistic-concurrency retries and idempotency keys."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest

from application.command import CommandRunner, request_hash
from application.errors import ConcurrentModification, IdempotencyKeyReused
from application.idempotency import StoredClaim
from domain.account import Account
from domain.actor import Actor
from tests.unit.application.conftest import FakeIdempotencyStore, Services, open_account

ALICE = uuid4()


def opened(services: Services) -> UUID:
    return open_account(services, ALICE)


def test_a_conflicting_save_is_retried_with_a_fresh_load(services: Services) -> None:
    account_id = opened(services)
    runner = CommandRunner(services.ledger)
    attempts = 0

    def command() -> list[Account]:
        nonlocal attempts
        attempts += 1
        account: Account = services.ledger.repository.get(account_id)
        if attempts == 1:  # another writer gets in between our load and our save
            services.accounts.rename(ALICE, account_id, "Renamed by someone else")
        account.rename(f"Attempt {attempts}", actor=Actor.user(ALICE))
        return [account]

    outcome = runner.run(command, owner_id=ALICE, answer={})
    assert attempts == 2
    assert services.ledger.repository.get(account_id).name == "Attempt 2"
    assert outcome.position == services.ledger.recorder.max_notification_id()


def test_a_command_that_always_conflicts_gives_up_with_a_clear_conflict(services: Services) -> None:
    account_id = opened(services)
    runner = CommandRunner(services.ledger)

    def command() -> list[Account]:
        account: Account = services.ledger.repository.get(account_id)
        services.accounts.rename(ALICE, account_id, f"Interloper {uuid4()}")
        account.rename("Never saved", actor=Actor.user(ALICE))
        return [account]

    with pytest.raises(ConcurrentModification):
        runner.run(command, owner_id=ALICE, answer={})


def test_commands_return_the_log_position_they_reached(services: Services) -> None:
    first = services.accounts.open(
        ALICE,
        name="A",
        kind="cash",
        currency="EUR",
        opening_balance="0",
        opened_on=date(2026, 1, 1),
    )
    second = services.accounts.rename(ALICE, UUID(first.answer["id"]), "B")
    assert second.position == first.position + 1


def test_a_repeated_idempotency_key_answers_the_first_result_and_appends_nothing(
    services: Services,
) -> None:
    store = FakeIdempotencyStore()
    runner = CommandRunner(services.ledger, store)
    fingerprint = request_hash(op="x", value=1)
    store.claims[(ALICE, "key-1")] = StoredClaim(fingerprint, b'{"id": "first"}', position=7)
    before = services.ledger.recorder.max_notification_id()

    outcome = runner.run(
        lambda: pytest.fail("a repeat must not run the command"),
        owner_id=ALICE,
        answer={"id": "second"},
        idempotency_key="key-1",
        fingerprint=lambda: fingerprint,
    )
    assert (outcome.answer, outcome.position, outcome.replayed) == ({"id": "first"}, 7, True)
    assert services.ledger.recorder.max_notification_id() == before


def test_an_idempotency_key_reused_for_another_request_is_refused(services: Services) -> None:
    store = FakeIdempotencyStore()
    runner = CommandRunner(services.ledger, store)
    store.claims[(ALICE, "key-1")] = StoredClaim(request_hash(value=1), b"{}", position=3)
    with pytest.raises(IdempotencyKeyReused):
        runner.run(
            list,
            owner_id=ALICE,
            answer={},
            idempotency_key="key-1",
            fingerprint=lambda: request_hash(value=2),
        )
