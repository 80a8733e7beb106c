"""The ledger: one eventsourcing Application holding every aggregate of every user.

Infrastructure (recorders over SQLAlchemy Core, the encrypting mapper) is injected by the
composition root as an ``InfrastructureFactory``; without one, eventsourcing's environment decides
(``PERSISTENCE_MODULE``), which lets unit tests run on the in-memory POPO recorders.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Snapshot
from eventsourcing.persistence import (
    InfrastructureFactory,
    JSONTranscoder,
    Transcoding,
)
from eventsourcing.utils import EnvType


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class LedgerSnapshot(Snapshot):
    """A snapshot knows its owner: the mapper encrypts it under the owner's key like any event."""

    @property
    def owner_id(self) -> UUID:
        owner: UUID = self.state["owner_id"]
        return owner


class Ledger(Application[UUID]):
    name = "ledger"  # pinned: the name is part of stored metadata
    snapshot_class = LedgerSnapshot
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {}

    def __init__(self, env: EnvType | None = None, *, factory: InfrastructureFactory | None = None):
        self._injected_factory = factory
        super().__init__(env)

    def construct_factory(self, env: Any) -> InfrastructureFactory:
        if self._injected_factory is not None:
            return self._injected_factory
        return super().construct_factory(env)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
