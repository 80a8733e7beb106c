"""Idempotency of commands: a repeated key appends nothing and answers the first result.

The claim travels with the events to the recorder (``save(..., idempotency=claim)``), which
stores it in the same database transaction as the events. A second save carrying the same
(owner, key) fails as a conflict, and the application answers from the stored claim instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID


@dataclass(frozen=True, slots=True)
class IdempotencyClaim:
    owner_id: UUID
    key: str  # client-chosen, at most 200 characters
    request_hash: bytes  # sha256 of the command; another body under the same key is refused
    result: bytes  # the command's answer (JSON), replayed verbatim on a repeat


@dataclass(frozen=True, slots=True)
class StoredClaim:
    request_hash: bytes
    result: bytes
    position: int  # the log position the first command reached


class IdempotencyStore(Protocol):
    def find(self, owner_id: UUID, key: str) -> StoredClaim | None: ...
