"""The connection tasks on the real task runtime (embedded broker), with mail over SMTP."""

from __future__ import annotations

import asyncio

from adapters.connections.tasks import SWEEP_TASK, ConnectionTasks
from adapters.mail.smtp import SmtpMailer, SmtpServer
from adapters.tasks.broker import create_broker
from adapters.tasks.catalog import TaskCatalog
from tests.fakes.simplefin_server import FakeSimpleFin
from tests.integration.connections.conftest import World
from tests.integration.mail.test_smtp_mailer import Inbox, smtp

__all__ = ["smtp"]


async def test_the_sweep_syncs_through_the_broker_and_mails_one_attention_notice(
    world: World, simplefin: FakeSimpleFin, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    account = world.account(currency="USD")
    created = world.connections.create(
        world.user_id,
        provider="simplefin",
        name="Credit union",
        setup={"setup_token": simplefin.setup_token()},
    )
    world.connections.link_account(world.user_id, created.id, remote_id="ACT-1", account_id=account)
    simplefin.revoke()
    tasks = ConnectionTasks(
        world.connections,
        world.schedule,
        SmtpMailer(SmtpServer("127.0.0.1", port)),
        lambda _owner: "ada@example.org",
        clock=world.clock,
    )
    catalog = TaskCatalog()
    tasks.declare(catalog)
    broker = create_broker("memory://", max_attempts=1)
    registered = catalog.register(broker)
    tasks.bind(registered)
    await broker.startup()

    async def failed(attempts: int) -> None:
        for _ in range(250):
            if world.connections.get(world.user_id, created.id).failed_attempts >= attempts:
                return
            await asyncio.sleep(0.02)
        raise AssertionError(f"no {attempts} failed syncs")

    try:
        swept = await (await registered[SWEEP_TASK].kiq()).wait_result(timeout=10)
        assert swept.return_value == 1
        await failed(1)
        for attempt in (2, 3):  # "sync now" twice more: failing again, but no second mail
            await tasks.request_sync(world.user_id, created.id)
            await failed(attempt)
        await asyncio.sleep(0.2)
    finally:
        await broker.shutdown()

    view = world.connections.get(world.user_id, created.id)
    assert view.status == "needs_attention"
    assert view.failed_attempts == 3
    recipients, message = inbox.only()
    assert recipients == ["ada@example.org"]
    assert "Credit union" in str(message["Subject"])
    assert simplefin.password not in message.get_content()
