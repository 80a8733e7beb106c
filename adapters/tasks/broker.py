"""The task broker, chosen by ``FINTRACK_BROKER_URL``.

``memory://``  taskiq's in-process broker (the embedded default): tasks run inside ``fintrack
               serve``. Build one per process and never ``shutdown()`` it between uses: that kills
               its thread pool for good. Retry delays are honoured with a timer (not durable).
``amqp://…``   RabbitMQ through taskiq-aio-pika. Durable quorum queue ``fintrack.tasks`` on the
               durable exchange ``fintrack``, persistent messages with publisher confirms, acked
               only after the task finished (at-least-once: tasks must be idempotent).
               Retries wait in ``fintrack.tasks.delay`` (per-message TTL, then dead-lettered back to
               the exchange). A task that failed for good is published to
               ``fintrack.tasks.dead_letter``; so is a message delivered ``DELIVERY_LIMIT`` times
               without an ack (a task that keeps killing its worker).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aio_pika import DeliveryMode, Message
from taskiq import AsyncBroker, BrokerMessage, InMemoryBroker, TaskiqMessage
from taskiq_aio_pika import AioPikaBroker, Exchange, Queue

from adapters.tasks.dead_letter import DeadLetter, RetryThenDeadLetter

logger = logging.getLogger(__name__)

EXCHANGE = "fintrack"
TASK_QUEUE = "fintrack.tasks"
DELAY_QUEUE = "fintrack.tasks.delay"
DEAD_LETTER_QUEUE = "fintrack.tasks.dead_letter"
DELIVERY_LIMIT = 5  # deliveries without an ack before RabbitMQ dead-letters a message


class BrokerUrlError(ValueError):
    """FINTRACK_BROKER_URL names no broker we support."""


def create_broker(
    broker_url: str,
    *,
    max_attempts: int = 5,
    retry_delay: float = 5.0,
    max_retry_delay: float = 600.0,
) -> AsyncBroker:
    """A broker with retries: attempt n waits about ``retry_delay * n`` seconds (growing with the
    previous delay, plus up to 1 s of jitter, capped at ``max_retry_delay``); after
    ``max_attempts`` failed attempts the task is dead-lettered."""
    broker: AsyncBroker
    dead_letter: DeadLetter
    if broker_url.startswith("memory://"):
        broker = EmbeddedBroker()
        dead_letter = _log_dead_letter
    elif broker_url.startswith(("amqp://", "amqps://")):
        rabbit = AioPikaBroker(
            broker_url,
            exchange=Exchange(name=EXCHANGE),
            task_queues=[Queue(name=TASK_QUEUE, arguments={"x-delivery-limit": DELIVERY_LIMIT})],
            delay_queue=Queue(name=DELAY_QUEUE),
            dead_letter_queue=Queue(name=DEAD_LETTER_QUEUE),
        )
        broker, dead_letter = rabbit, _rabbit_dead_letter(rabbit)
    else:
        raise BrokerUrlError("FINTRACK_BROKER_URL must start with memory:// or amqp://")
    return broker.with_middlewares(
        RetryThenDeadLetter(
            dead_letter,
            default_retry_label=True,  # every task retries unless it says retry_on_error=False
            default_retry_count=max_attempts,
            default_delay=retry_delay,
            use_jitter=True,
            use_delay_exponent=True,
            max_delay_exponent=max_retry_delay,
        )
    )


class EmbeddedBroker(InMemoryBroker):
    """``InMemoryBroker`` that waits out a ``delay`` label (taskiq's runs delayed tasks at once)."""

    async def kick(self, message: BrokerMessage) -> None:
        delay = message.labels.get("delay")
        if delay is None:
            await super().kick(message)
            return
        later = asyncio.create_task(self._kick_later(message, float(delay)))
        self._running_tasks.add(later)
        later.add_done_callback(self._running_tasks.discard)

    async def _kick_later(self, message: BrokerMessage, delay: float) -> None:
        await asyncio.sleep(delay)
        await super().kick(message)


async def _log_dead_letter(message: TaskiqMessage, error: BaseException) -> None:
    logger.error(
        "task %s (id %s) failed for good: %s", message.task_name, message.task_id, _kind(error)
    )


def _rabbit_dead_letter(broker: AioPikaBroker) -> DeadLetter:
    async def publish(message: TaskiqMessage, error: BaseException) -> None:
        if broker.write_channel is None:
            raise RuntimeError("broker.startup() was not called")
        raw = broker.formatter.dumps(message)
        headers: dict[str, Any] = {
            "task_id": message.task_id,
            "task_name": message.task_name,
            "x-fintrack-error": _kind(error),
        }
        await broker.write_channel.default_exchange.publish(
            Message(raw.message, headers=headers, delivery_mode=DeliveryMode.PERSISTENT),
            routing_key=DEAD_LETTER_QUEUE,
        )
        logger.error(
            "task %s (id %s) failed for good, moved to %s: %s",
            message.task_name,
            message.task_id,
            DEAD_LETTER_QUEUE,
            _kind(error),
        )

    return publish


def _kind(error: BaseException) -> str:
    # The exception type only: messages can carry personal data from imported text.
    return type(error).__qualname__
