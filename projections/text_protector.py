"""The port through which projections keep personal text out of the query tables.

``seal`` encrypts a field under the owner's data key, bound to ``context`` (table, field and row),
so a sealed value copied to another row or owner fails to open. ``terms`` returns the keyed
blind-index tokens of a text (see ``search_terms``): equal words give equal tokens for one owner
and unrelated tokens for another. ``open`` returns None once the owner has been shredded. An
empty text may seal to an empty value, which opens to an empty text.
"""

from __future__ import annotations

from typing import Protocol
from uuid import UUID


class TextProtector(Protocol):
    def seal(self, owner_id: UUID, text: str, context: bytes) -> bytes: ...

    def open(self, owner_id: UUID, blob: bytes, context: bytes) -> str | None: ...

    def terms(self, owner_id: UUID, text: str) -> set[bytes]: ...


def field_context(table: str, field: str, row_key: bytes) -> bytes:
    """What a sealed field is bound to: its table, its column and its row."""
    return f"{table}.{field}:".encode() + row_key
