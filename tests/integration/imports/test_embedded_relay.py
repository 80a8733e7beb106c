"""The embedded mode (memory:// broker): a registration is welcomed, a recorded request is relayed,
run and mailed about, each mail once even when its task is delivered again; mail is captured by
an aiosmtpd server on loopback."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Iterator
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.engine import URL
from taskiq import AsyncBroker

from adapters.imports.mail import import_mail
from adapters.imports.relay import MAIL_TASK, WELCOME_TASK
from adapters.imports.tasks import start_embedded_imports
from adapters.imports.wiring import build_import_services
from adapters.mail.factory import create_mailer
from adapters.persistence.migrate import migrate
from adapters.tasks.broker import create_broker
from application.statement import CsvMapping
from tests.integration.imports.conftest import World, make_world
from tests.integration.ledger.conftest import settings_for
from tests.rabbitmq import free_port

pytestmark = pytest.mark.timeout(60)

MAPPING = CsvMapping(date_column="Date", amount_column="Amount", date_format="%Y-%m-%d")


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp_world(sqlite_url: URL, tmp_path: Path) -> Iterator[tuple[World, Inbox]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings = settings_for(sqlite_url, tmp_path / "var")
    migrate(settings.sync_url)
    world = make_world(settings)
    world.services = build_import_services(
        world.runtime, mailer=create_mailer(f"smtp://127.0.0.1:{port}")
    )
    try:
        yield world, inbox
    finally:
        world.runtime.close()
        controller.stop()


async def _until(predicate: Any, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not await asyncio.to_thread(predicate):
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def _embedded(world: World) -> AsyncIterator[AsyncBroker]:
    """The in-process broker with the import tasks and the relay running on it."""
    broker = create_broker("memory://")
    await broker.startup()
    async with start_embedded_imports(world.services, broker):
        yield broker


async def _imported(world: World, inbox: Inbox, account: UUID, csv: bytes) -> UUID:
    """Request an import of ``csv``; return once it is done and its mail (the second) arrived."""
    batch = world.services.imports.request(world.user_id, account, csv, mapping=MAPPING)
    await _until(lambda: _status(world, batch) == "done")
    await _until(lambda: len(inbox.messages) == 2)
    return batch


async def test_a_requested_import_is_run_and_its_owner_mailed(
    smtp_world: tuple[World, Inbox],
) -> None:
    world, inbox = smtp_world
    account = world.account(name="Daily")
    async with _embedded(world):
        await _until(lambda: len(inbox.messages) == 1)  # the registration, relayed
        await _imported(world, inbox, account, b"Date,Amount\n2024-01-01,-1.00\n2024-01-02,-2.00\n")
        failed = world.services.imports.request(world.user_id, account, b"\x00\x01" * 100)
        await _until(lambda: _status(world, failed) == "failed")
        await _until(lambda: len(inbox.messages) == 3)
    welcome, finished, refused = inbox.messages
    assert welcome["Subject"] == "Welcome to fintrack"
    assert welcome["To"] == "ana@example.org"
    assert finished["Subject"] == "Import finished: Daily"
    assert "New transactions: 2" in finished.get_content()
    assert finished["To"] == "ana@example.org"
    assert refused["Subject"] == "Import failed: Daily"
    assert "binary data" in refused.get_content()


async def test_a_mail_task_delivered_again_does_not_mail_again(
    smtp_world: tuple[World, Inbox],
) -> None:
    world, inbox = smtp_world
    account = world.account(name="Daily")
    async with _embedded(world) as broker:
        batch = await _imported(world, inbox, account, b"Date,Amount\n2024-01-01,-1.00\n")
        # Delivered again once the first deliveries finished (each records that it mailed
        # just after sending: a repeat running meanwhile is the at-least-once window, not this).
        await _until(lambda: _mailed(world, batch))
        for name, arg in ((MAIL_TASK, batch), (WELCOME_TASK, world.user_id)):
            task = broker.find_task(name)
            assert task is not None
            result = await (await task.kiq(str(arg))).wait_result(timeout=10)
            assert not result.is_err
    assert sorted(m["Subject"] for m in inbox.messages) == [
        "Import finished: Daily",
        "Welcome to fintrack",
    ]


def _mailed(world: World, batch: UUID) -> bool:
    services = world.services
    reported = import_mail(services.ledger, services.users, batch) is None
    return reported and services.users.awaiting_welcome(world.user_id) is None


def _status(world: World, batch: UUID) -> str:
    return world.services.imports.status(world.user_id, batch).status
