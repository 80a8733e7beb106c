"""The port for sending e-mail, owned by the use cases that send it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class OutgoingMail:
    to: str
    subject: str
    text: str  # plain-text body


class Mailer(Protocol):
    async def send(self, message: OutgoingMail) -> None: ...
