"""Test-only handlers mounted under /api/v1 through ``HttpOptions.api_handlers``."""

from __future__ import annotations

import threading
import time

import msgspec
from litestar import get, post
from litestar.params import JSONBody


class EffectIn(msgspec.Struct, forbid_unknown_fields=True):
    amount: str


class EffectOut(msgspec.Struct):
    effects: int
    amount: str


class Effects:
    """Counts how often the command ran: the thing idempotency must keep at one."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def handlers(self) -> tuple[object, ...]:
        effects = self

        @post(
            "/test/effects",
            operation_id="testEffect",
            summary="Test only: a command with a visible effect",
            sync_to_thread=True,
        )
        def record(data: JSONBody[EffectIn]) -> EffectOut:
            with effects._lock:
                effects.count += 1
                count = effects.count
            time.sleep(0.02)  # a real command takes a few ms: widen the race window
            if data.amount == "fail":
                raise RuntimeError("database password is hunter2")  # must never reach a client
            return EffectOut(count, data.amount)

        @get(
            "/test/boom", operation_id="testBoom", summary="Test only: fails", sync_to_thread=False
        )
        def boom() -> None:
            raise RuntimeError("secret internals: /etc/passwd")

        return (record, boom)
