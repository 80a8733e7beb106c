"""Retries with backoff, then the dead-letter queue.

taskiq's ``SmartRetryMiddleware`` re-sends a failed task with a delay and, once the retries are
used up, only logs a warning: the message is acked and gone. ``RetryThenDeadLetter`` keeps the
retries and hands every task that failed for good to ``dead_letter`` (the DLQ on RabbitMQ, an
error log line in the embedded broker), so an operator can see and replay it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from taskiq import SmartRetryMiddleware, TaskiqMessage, TaskiqResult
from taskiq.exceptions import NoResultError

DeadLetter = Callable[[TaskiqMessage, BaseException], Awaitable[None]]


class RetryThenDeadLetter(SmartRetryMiddleware):
    def __init__(self, dead_letter: DeadLetter, **retry: Any) -> None:
        # no_result_on_retry=True is what tells a scheduled retry from a final failure below.
        super().__init__(no_result_on_retry=True, **retry)
        self._dead_letter = dead_letter

    async def on_error(
        self, message: TaskiqMessage, result: TaskiqResult[Any], exception: BaseException
    ) -> None:
        await super().on_error(message, result, exception)
        if not isinstance(result.error, NoResultError):  # no retry was scheduled
            await self._dead_letter(message, exception)
