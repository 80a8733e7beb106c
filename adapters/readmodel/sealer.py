"""Sealing names for the report tables; an owner shredded meanwhile gets no row at all."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

import sqlalchemy as sa

from adapters.crypto.errors import OwnerShreddedError
from adapters.readmodel.report_tables import sealed_context


class Sealer(Protocol):
    """What the writers need of ``adapters.crypto.keyring.Keyring``."""

    def seal(self, owner_id: UUID, text: str, context: bytes) -> bytes: ...


class Opener(Protocol):
    def open(self, owner_id: UUID, blob: bytes, context: bytes) -> str | None: ...


def seal_or_none(
    sealer: Sealer, owner_id: UUID, text: str, column: sa.Column[bytes], row_id: UUID
) -> bytes | None:
    """The sealed text, or None once the owner's key is shredded (their purge is on its way)."""
    try:
        return sealer.seal(owner_id, text, sealed_context(column, row_id))
    except OwnerShreddedError:
        return None


def open_name(
    opener: Opener, owner_id: UUID, blob: bytes, column: sa.Column[bytes], row_id: UUID
) -> str:
    return opener.open(owner_id, blob, sealed_context(column, row_id)) or ""
