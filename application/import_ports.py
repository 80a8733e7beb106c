"""The ports the import use cases need; adapters implement them (``adapters/imports``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from application.statement import CsvMapping, ParsedStatement


@dataclass(frozen=True, slots=True)
class ImportedOriginal:
    """A transaction as it was first recorded (its first event), to compare a line against."""

    actor: str
    amount: Decimal
    booked_on: date
    value_date: date | None
    payee: str
    counterparty_name: str
    description: str


@dataclass(frozen=True, slots=True)
class KnownLine:
    """What is known of an existing transaction id without decrypting anything."""

    batch_id: UUID | None  # the import that recorded it, when its fingerprint was kept
    fingerprint: bytes | None  # keyed digest of the line's content as first imported


class LineKeys(Protocol):
    def key_for(self, owner_id: UUID) -> bytes:
        """The owner's secret key for deriving imported lines' ids (never a public namespace)."""
        ...


class ExistingTransactions(Protocol):
    def existing(self, ids: Sequence[UUID]) -> dict[UUID, KnownLine]:
        """Those of ``ids`` that already have events: one set-based query per chunk."""
        ...

    def remember(self, lines: Sequence[tuple[UUID, UUID, bytes]]) -> None:
        """Keep (transaction id, batch id, fingerprint) of recorded lines; repeats are ignored.

        Kept after the events are saved: a line recorded but not remembered (a crash between)
        is recognised by decrypting its first event instead, only slower."""
        ...

    def originals(self, ids: Sequence[UUID]) -> dict[UUID, ImportedOriginal]:
        """The first recorded content of those of ``ids`` that exist."""
        ...


class PayloadStore(Protocol):
    def put(self, owner_id: UUID, batch_id: UUID, data: bytes) -> None:
        """Keep the uploaded file, sealed under the owner's key (a repeat put is a no-op)."""
        ...

    def get(self, owner_id: UUID, batch_id: UUID) -> bytes | None:
        """The file, or None if it is missing or unreadable (the owner was shredded)."""
        ...


class StatementReader(Protocol):
    def read(
        self, data: bytes, *, format: str, filename: str | None, mapping: CsvMapping | None
    ) -> ParsedStatement:
        """Parse ``data`` (``format`` ``auto`` detects it); ``StatementRejected`` if unreadable."""
        ...

    def suggest_mapping(self, data: bytes) -> CsvMapping: ...


class CsvMappings(Protocol):
    def remembered(self, owner_id: UUID, account_id: UUID) -> CsvMapping | None: ...

    def remember(self, owner_id: UUID, account_id: UUID, mapping: CsvMapping) -> None: ...
