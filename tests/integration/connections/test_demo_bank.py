"""The built-in demo bank, synced through the whole stack."""

from __future__ import annotations

from uuid import UUID

from adapters.banks.connectors.demo import CHECKING
from application.connections import PENDING_TAG
from tests.integration.connections.conftest import World


def _demo(world: World) -> tuple[UUID, UUID]:
    account = world.account()
    created = world.connections.create(
        world.user_id, provider="demo", name="Demo bank", setup={"seed": "s1"}
    )
    world.connections.link_account(
        world.user_id, created.id, remote_id=CHECKING, account_id=account
    )
    return created.id, account


async def test_the_first_sync_records_ninety_days_of_realistic_lines(world: World) -> None:
    connection_id, account = _demo(world)

    report = await world.sync(connection_id)

    recorded = world.transactions(account)
    assert report["status"] == "active"
    assert report["lines_new"] == len(recorded) > 60
    payees = {tx.payee for tx in recorded}
    assert {"ACME GmbH", "Hausverwaltung Müller", "Netflix"} <= payees
    assert any(PENDING_TAG in tx.tags for tx in recorded)


async def test_a_second_sync_the_same_day_records_no_transaction(world: World) -> None:
    connection_id, _account = _demo(world)
    await world.sync(connection_id)
    before = world.transaction_events()

    report = await world.sync(connection_id)

    assert report["lines_new"] == 0
    assert world.transaction_events() == before


async def test_pending_card_payments_book_onto_the_same_transaction(world: World) -> None:
    connection_id, account = _demo(world)
    await world.sync(connection_id)
    pending = {tx.id for tx in world.transactions(account) if PENDING_TAG in tx.tags}
    assert pending

    for _ in range(4):  # four days later every one of them has booked
        world.clock.advance(days=1)
        await world.sync(connection_id)

    now = {tx.id: tx for tx in world.transactions(account)}
    assert pending <= set(now)  # linked, not replaced by a second transaction
    assert all(PENDING_TAG not in now[id].tags for id in pending)
    references = [tx.external_reference for tx in now.values() if PENDING_TAG not in tx.tags]
    view = world.connections.get(world.user_id, connection_id)
    # Nothing booked twice: the same bank line never shows under two transactions.
    assert len(now) == len(
        {(tx.booked_on, tx.amount, tx.payee, tx.value_date) for tx in now.values()}
    )
    assert len(references) > 0
    assert view.status == "active"
    assert view.pending_open == len([t for t in now.values() if PENDING_TAG in t.tags])
    hows = {
        link["how"]
        for event in world.runtime.ledger.repository.event_store.get(connection_id)
        for link in getattr(event, "booked", ())
    }
    assert hows == {"same_id", "matched"}  # the demo bank re-keys one in four on booking


async def test_the_demo_bank_is_the_same_bank_for_the_same_seed(world: World) -> None:
    first, account_a = _demo(world)
    other = world.account(name="Second")
    created = world.connections.create(
        world.user_id, provider="demo", name="Again", setup={"seed": "s1"}
    )
    world.connections.link_account(world.user_id, created.id, remote_id=CHECKING, account_id=other)

    await world.sync(first)
    await world.sync(created.id)

    def shape(account: UUID) -> list[tuple[object, ...]]:
        return [(t.booked_on, t.amount, t.payee) for t in world.transactions(account)]

    assert shape(account_a) == shape(other)
