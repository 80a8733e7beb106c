"""What an event becomes once its owner's keys are destroyed (crypto-shredding).

The event store keeps the ciphertext forever; without the key it decodes to a ``Shredded`` tombstone
instead of raising, so a full scan of the log, a replay or a load of an erased user's aggregate
completes. Folding tombstones yields an ``Erased`` placeholder, which services treat as not found
and projections treat as "purge this owner's rows".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID


@dataclass(frozen=True, slots=True)
class Erased:
    id: UUID
    version: int
    owner_id: UUID | None


@dataclass(frozen=True, slots=True)
class Shredded:
    originator_id: UUID
    originator_version: int
    timestamp: datetime
    topic: str  # the original event's topic: metadata only, never personal data
    owner_id: UUID | None

    def mutate(self, _aggregate: Any) -> Erased:
        """Fold like any event (eventsourcing calls ``event.mutate(aggregate)``)."""
        return Erased(
            id=self.originator_id, version=self.originator_version, owner_id=self.owner_id
        )
