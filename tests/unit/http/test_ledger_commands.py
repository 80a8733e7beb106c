"""Commands run on the ledger's own worker threads, in a copy of the caller's context, and
closing waits for those under way before ending the threads."""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time
from typing import Any

import pytest

from adapters.http.ledger.services import LedgerCommands

_who: contextvars.ContextVar[str] = contextvars.ContextVar("who", default="nobody")


def _commands() -> LedgerCommands:
    unused: Any = None  # the use cases are not called here
    return LedgerCommands(unused, unused, unused, threads=2)


def test_a_command_runs_on_a_worker_thread_with_the_callers_context() -> None:
    commands = _commands()

    async def call() -> tuple[str, str]:
        _who.set("alice")
        return await commands.run(lambda: (_who.get(), threading.current_thread().name))

    try:
        who, thread = asyncio.run(call())
    finally:
        commands.close()
    assert who == "alice"
    assert thread.startswith("command")


def test_closing_waits_for_the_command_under_way_then_refuses_new_ones() -> None:
    commands = _commands()
    finished: list[bool] = []
    workers: list[threading.Thread] = []

    def slow() -> None:
        workers.append(threading.current_thread())
        time.sleep(0.2)
        finished.append(True)

    async def both() -> None:
        command = asyncio.ensure_future(commands.run(slow))
        await asyncio.sleep(0.05)  # under way on its thread
        await asyncio.to_thread(commands.close)
        assert finished == [True]  # close returned only after it finished
        await command

    asyncio.run(both())
    with pytest.raises(RuntimeError):
        asyncio.run(commands.run(lambda: None))
    (worker,) = workers
    assert not worker.is_alive()  # the thread ended with the pool
