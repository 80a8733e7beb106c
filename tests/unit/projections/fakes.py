"""Test doubles for the transactions fold: a readable ``FakeTextProtector`` and a store."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from uuid import UUID

from projections.search_terms import index_terms
from projections.transaction_state import TransactionState


class FakeTextProtector:
    """'Seals' as ``owner|context|text`` so tests can read what was sealed where; ``sealed``
    records each context sealed, so a test can tell a kept ciphertext from a re-sealed one."""

    def __init__(self) -> None:
        self.sealed: list[bytes] = []

    def seal(self, owner_id: UUID, text: str, context: bytes) -> bytes:
        self.sealed.append(context)
        return f"{owner_id}|".encode() + context + b"|" + text.encode()

    def open(self, owner_id: UUID, blob: bytes, context: bytes) -> str | None:
        prefix = f"{owner_id}|".encode() + context + b"|"
        assert blob.startswith(prefix), "opened with the wrong owner or context"
        return blob[len(prefix) :].decode()

    def terms(self, owner_id: UUID, text: str) -> set[bytes]:
        return {term.encode() for term in index_terms(text)}


class FakeTransactionStore:
    def __init__(self, rows: Mapping[UUID, TransactionState] | None = None) -> None:
        self.rows = dict(rows or {})
        self.loads: list[set[UUID]] = []

    def load(self, ids: Collection[UUID]) -> Mapping[UUID, TransactionState]:
        self.loads.append(set(ids))
        return {i: self.rows[i] for i in ids if i in self.rows}
