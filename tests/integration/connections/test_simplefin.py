"""SimpleFIN Bridge, end to end against a fake bridge on loopback."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
import sqlalchemy as sa

from adapters.imports.stores import SqlPayloadStore
from adapters.imports.tables import import_payloads
from application.connections import PENDING_TAG, EnrolmentFailed
from tests.fakes.simplefin_server import FakeSimpleFin
from tests.integration.connections.conftest import World


def _connect(world: World, bridge: FakeSimpleFin) -> tuple[UUID, UUID]:
    account = world.account(currency="USD")
    created = world.connections.create(
        world.user_id,
        provider="simplefin",
        name="My credit union",
        setup={"setup_token": bridge.setup_token()},
    )
    world.connections.link_account(world.user_id, created.id, remote_id="ACT-1", account_id=account)
    return created.id, account


async def _synced_twice(
    world: World, simplefin: FakeSimpleFin, between: Callable[[], None] = lambda: None
) -> tuple[UUID, dict[str, Any]]:
    """One booked line on the bridge, synced; ``between`` runs; synced again six hours later.
    The account and the second sync's report."""
    simplefin.add("ACT-1", "TRN-1", world.clock.today(), "-12.50", "Blue Bottle")
    connection_id, account = _connect(world, simplefin)
    await world.sync(connection_id)
    between()
    world.clock.advance(hours=6)
    return account, await world.sync(connection_id)


async def test_the_first_sync_records_the_bridge_lines(
    world: World, simplefin: FakeSimpleFin
) -> None:
    today = world.clock.today()
    simplefin.add("ACT-1", "TRN-1", today - timedelta(days=3), "-12.50", "Blue Bottle")
    simplefin.add("ACT-1", "TRN-2", today - timedelta(days=2), "2500.00", "Employer Inc")
    connection_id, account = _connect(world, simplefin)

    report = await world.sync(connection_id)

    recorded = world.transactions(account)
    assert report["lines_new"] == 2
    assert [(str(t.amount.amount), t.payee, t.external_reference) for t in recorded] == [
        ("-12.50", "Blue Bottle", "TRN-1"),
        ("2500.00", "Employer Inc", "TRN-2"),
    ]
    assert {t.source.value for t in recorded} == {"connection"}


async def test_a_sync_keeps_the_records_of_its_new_lines_sealed_with_its_batch(
    world: World, simplefin: FakeSimpleFin
) -> None:
    await _synced_twice(world, simplefin)  # the second time nothing is new: nothing more kept

    with world.runtime.engine.connect() as conn:
        rows = conn.execute(
            sa.select(import_payloads.c.batch_id, import_payloads.c.sealed).where(
                import_payloads.c.owner_id == world.user_id.bytes
            )
        ).all()
    assert len(rows) == 1
    assert b"Blue Bottle" not in bytes(rows[0].sealed)
    store = SqlPayloadStore(world.runtime.engine, world.runtime.keyring)
    kept = store.get(world.user_id, UUID(bytes=bytes(rows[0].batch_id)))
    assert kept is not None
    assert [json.loads(record)["id"] for record in kept.decode().splitlines()] == ["TRN-1"]


async def test_a_booked_line_the_bank_changes_later_is_proposed_for_review_not_duplicated(
    world: World, simplefin: FakeSimpleFin
) -> None:

    def correct() -> None:  # the bank corrects the booked line's amount
        simplefin.accounts["ACT-1"]["transactions"][0]["amount"] = "-13.50"

    account, report = await _synced_twice(world, simplefin, between=correct)

    (recorded,) = world.transactions(account)
    assert report["lines_new"] == 0
    assert str(recorded.amount.amount) == "-12.50"
    assert str(recorded.proposed_changes["amount"]) == "-13.50"


async def test_a_second_sync_appends_no_transaction(world: World, simplefin: FakeSimpleFin) -> None:
    simplefin.add("ACT-1", "TRN-1", world.clock.today(), "-12.50", "Blue Bottle")
    connection_id, _account = _connect(world, simplefin)
    await world.sync(connection_id)
    before = world.transaction_events()

    world.clock.advance(hours=6)
    report = await world.sync(connection_id)

    assert report["lines_new"] == 0
    assert world.transaction_events() == before


async def test_a_pending_line_that_books_is_linked_not_duplicated(
    world: World, simplefin: FakeSimpleFin
) -> None:
    today = world.clock.today()
    simplefin.add("ACT-1", "TRN-9", today, "-40.00", "Gas Station", pending=True)
    connection_id, account = _connect(world, simplefin)
    await world.sync(connection_id)
    (pending,) = world.transactions(account)
    assert PENDING_TAG in pending.tags

    simplefin.book("TRN-9", today + timedelta(days=1), amount="-42.17")  # with the tip
    world.clock.advance(days=1)
    report = await world.sync(connection_id)

    (booked,) = world.transactions(account)
    assert booked.id == pending.id
    assert str(booked.amount.amount) == "-42.17"
    assert booked.booked_on == today + timedelta(days=1)
    assert PENDING_TAG not in booked.tags
    assert report["pending_linked"] == 1


async def test_a_setup_token_claimed_twice_is_refused(
    world: World, simplefin: FakeSimpleFin
) -> None:
    token = simplefin.setup_token()
    world.connections.create(
        world.user_id, provider="simplefin", name="a", setup={"setup_token": token}
    )

    with pytest.raises(EnrolmentFailed, match="already claimed"):
        world.connections.create(
            world.user_id, provider="simplefin", name="b", setup={"setup_token": token}
        )


async def test_revoked_access_needs_attention_and_mails_once(
    world: World, simplefin: FakeSimpleFin
) -> None:
    connection_id, _account = _connect(world, simplefin)
    simplefin.revoke()

    first = await world.sync(connection_id)
    world.clock.advance(hours=1)
    await world.sync(connection_id)

    view = world.connections.get(world.user_id, connection_id)
    assert first["status"] == view.status == "needs_attention"
    assert view.failure_kind == "reauthenticate"
    assert view.next_sync_at is None  # only the user can resume it
    assert len(world.mailer.sent) == 1
    mail = world.mailer.sent[0]
    assert mail.to == "ada@example.org"
    assert "My credit union" in mail.subject
    assert simplefin.password not in mail.text


async def test_server_errors_back_off_exponentially(world: World, simplefin: FakeSimpleFin) -> None:
    connection_id, _account = _connect(world, simplefin)
    simplefin.fail_next(500, times=100)
    waits = []

    for _ in range(3):
        await world.sync(connection_id)
        view = world.connections.get(world.user_id, connection_id)
        assert view.next_sync_at is not None
        waits.append(view.next_sync_at - world.clock.now)
        world.clock.now = view.next_sync_at

    assert view.status == "failing"
    assert waits == [timedelta(minutes=5), timedelta(minutes=10), timedelta(minutes=20)]
    assert world.mailer.sent == []  # not yet an incident


async def test_failing_five_times_in_a_row_opens_one_incident(
    world: World, simplefin: FakeSimpleFin
) -> None:
    connection_id, _account = _connect(world, simplefin)
    simplefin.fail_next(503, times=100)

    for _ in range(7):
        await world.sync(connection_id)
        world.clock.advance(hours=7)

    assert world.connections.get(world.user_id, connection_id).status == "needs_attention"
    assert len(world.mailer.sent) == 1


async def test_a_rate_limit_waits_at_least_as_long_as_the_bridge_asks(
    world: World, simplefin: FakeSimpleFin
) -> None:
    connection_id, _account = _connect(world, simplefin)
    simplefin.fail_next(429, headers={"Retry-After": "7200"})

    await world.sync(connection_id)

    view = world.connections.get(world.user_id, connection_id)
    assert view.status == "failing"
    assert view.next_sync_at == world.clock.now + timedelta(seconds=7200)


async def test_a_recovered_bridge_syncs_and_clears_the_failure(
    world: World, simplefin: FakeSimpleFin
) -> None:
    simplefin.add("ACT-1", "TRN-1", world.clock.today(), "-1.00", "Parking")
    connection_id, account = _connect(world, simplefin)
    simplefin.fail_next(502, times=2)
    await world.sync(connection_id)

    world.clock.advance(minutes=5)
    await world.sync(connection_id)

    view = world.connections.get(world.user_id, connection_id)
    assert view.status == "active"
    assert view.failure_reason is None
    assert len(world.transactions(account)) == 1


async def test_malformed_json_fails_clearly_and_records_nothing(
    world: World, simplefin: FakeSimpleFin
) -> None:
    simplefin.add("ACT-1", "TRN-1", world.clock.today(), "-1.00", "Parking")
    connection_id, account = _connect(world, simplefin)
    simplefin.fail_next(200, b'{"accounts": [{"id": "ACT-1", "transactions": [')
    before = world.transaction_events()

    report = await world.sync(connection_id)

    view = world.connections.get(world.user_id, connection_id)
    assert report["status"] == "failing"
    assert view.failure_reason is not None
    assert "unexpected answer" in view.failure_reason
    assert world.transaction_events() == before
    assert world.transactions(account) == []


async def test_an_amount_that_is_not_a_decimal_records_nothing(
    world: World, simplefin: FakeSimpleFin
) -> None:
    simplefin.add("ACT-1", "TRN-1", world.clock.today(), "-1.00", "Parking")
    simplefin.add("ACT-1", "TRN-2", world.clock.today(), "1e3", "Hostile")
    connection_id, account = _connect(world, simplefin)

    await world.sync(connection_id)

    view = world.connections.get(world.user_id, connection_id)
    assert view.failure_reason is not None
    assert "not a decimal" in view.failure_reason
    assert world.transactions(account) == []
