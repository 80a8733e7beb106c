"""Credentials stay sealed; the periodic sweep enqueues each due connection once."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

from adapters.connections.tasks import LEASE
from tests.database_dump import database_files, every_byte_of_every_row
from tests.fakes.gocardless_server import (
    ACCOUNT,
    INSTITUTION,
    SECRET_ID,
    SECRET_KEY,
    FakeGoCardless,
)
from tests.fakes.simplefin_server import FakeSimpleFin
from tests.integration.connections.conftest import World


async def test_no_credential_or_token_is_stored_in_clear(
    any_db_world: World, simplefin: FakeSimpleFin, gocardless: FakeGoCardless
) -> None:
    world = any_db_world
    account = world.account(currency="USD")
    sfin = world.connections.create(
        world.user_id,
        provider="simplefin",
        name="Credit union",
        setup={"setup_token": simplefin.setup_token()},
    )
    world.connections.link_account(world.user_id, sfin.id, remote_id="ACT-1", account_id=account)
    gc = world.connections.create(
        world.user_id,
        provider="gocardless",
        name="Sandbox",
        setup={
            "secret_id": SECRET_ID,
            "secret_key": SECRET_KEY,
            "institution_id": INSTITUTION,
            "redirect": "https://fintrack.example/done",
        },
    )
    gocardless.consent()
    world.connections.link_account(
        world.user_id, gc.id, remote_id=ACCOUNT, account_id=world.account()
    )
    await world.sync(sfin.id)
    await world.sync(gc.id)

    dump = every_byte_of_every_row(world.runtime.engine) + database_files(world.runtime.engine.url)
    secrets = [
        simplefin.password,
        simplefin.access_url,
        SECRET_KEY,
        SECRET_ID,
        *gocardless.access_tokens,
        *gocardless.refresh_tokens,
        *gocardless.requisitions,
    ]
    assert secrets
    for secret in secrets:
        assert secret.encode() not in dump, secret
    # ...and the connection still works from what was sealed
    assert world.connections.get(world.user_id, gc.id).status == "active"


def _demo_connection(world: World) -> UUID:
    created = world.connections.create(
        world.user_id, provider="demo", name="Demo", setup={"seed": "sweep"}
    )
    world.connections.link_account(
        world.user_id, created.id, remote_id="demo-checking", account_id=world.account()
    )
    return created.id


async def test_the_sweep_enqueues_a_due_connection_once(world: World) -> None:
    connection_id = _demo_connection(world)  # never synced: due at once

    first = await world.tasks.sync_due_connections()
    second = await world.tasks.sync_due_connections()  # within the lease: not again

    assert (first, second) == (1, 0)
    assert world.enqueued.kicked == [(str(connection_id), str(world.user_id))]


async def test_a_synced_connection_is_due_again_after_its_interval(world: World) -> None:
    connection_id = _demo_connection(world)
    await world.sync(connection_id)

    world.clock.advance(hours=5, minutes=59)
    assert await world.tasks.sync_due_connections() == 0
    world.clock.advance(minutes=2)
    assert await world.tasks.sync_due_connections() == 1


async def test_a_lost_sync_is_enqueued_again_after_the_lease(world: World) -> None:
    _demo_connection(world)
    await world.tasks.sync_due_connections()  # enqueued, but the message is lost

    world.clock.now += LEASE + timedelta(seconds=1)

    assert await world.tasks.sync_due_connections() == 1


async def test_sync_now_marks_the_connection_due_even_if_the_broker_is_down(
    world: World,
) -> None:
    connection_id = _demo_connection(world)
    await world.sync(connection_id)

    async def broker_down(*_args: object) -> None:
        raise ConnectionError("RabbitMQ is down")

    world.enqueued.kiq = broker_down  # type: ignore[method-assign]
    await world.tasks.request_sync(world.user_id, connection_id)

    assert world.schedule.due(world.clock.now, 10) == [(connection_id, world.user_id)]


async def test_a_removed_connection_is_never_due_and_its_secret_is_gone(world: World) -> None:
    connection_id = _demo_connection(world)

    world.connections.remove(world.user_id, connection_id)

    world.clock.advance(days=30)
    assert await world.tasks.sync_due_connections() == 0
    assert world.connections.list_owned(world.user_id) == []
    with world.runtime.engine.connect() as conn:
        from adapters.connections.tables import connection_credentials

        assert conn.execute(connection_credentials.select()).all() == []


async def test_a_sync_for_an_unknown_connection_unschedules_it(world: World) -> None:
    ghost = uuid4()
    world.schedule.set_due(ghost, world.user_id, world.clock.now)

    answer = await world.tasks.sync_connection(str(ghost), str(world.user_id))

    assert answer == {"status": "gone"}
    assert world.schedule.due(world.clock.now, 10) == []
