from __future__ import annotations

from tests.rabbitmq import rabbitmq_node

__all__ = ["rabbitmq_node"]
