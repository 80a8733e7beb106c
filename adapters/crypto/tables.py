"""The ``data_keys`` table: one wrapped data key per owner, on the shared ``metadata``.

A shredded key keeps its row with ``wrapped_key`` NULL, so the owner of a ciphertext is still
known (tombstones carry it) and a second key can never be created for an erased owner.
Times are naive UTC (MariaDB ``DATETIME`` has no zone).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from adapters.crypto.master_key import KEK_ID_BYTES
from adapters.crypto.wrap import WRAPPED_KEY_BYTES
from adapters.persistence.metadata import metadata


class UUIDBytes(sa.TypeDecorator[UUID]):
    """A UUID stored like the event store's ``originator_id``: BINARY(16), BLOB on SQLite."""

    impl = sa.BINARY(16)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        # SQLite would give BINARY(n) numeric affinity
        return dialect.type_descriptor(
            sa.LargeBinary() if dialect.name == "sqlite" else sa.BINARY(16)
        )

    def process_bind_param(self, value: UUID | None, dialect: Dialect) -> bytes | None:
        return None if value is None else value.bytes

    def process_result_value(self, value: Any, dialect: Dialect) -> UUID | None:
        return None if value is None else UUID(bytes=bytes(value))


def _varbinary(length: int) -> sa.types.TypeEngine[bytes]:
    # SQLite gives BINARY/VARBINARY numeric affinity: say BLOB there, as the event store does
    return sa.VARBINARY(length).with_variant(sa.LargeBinary(), "sqlite")


data_keys = sa.Table(
    "data_keys",
    metadata,
    sa.Column("dek_id", UUIDBytes(), primary_key=True),
    sa.Column("owner_id", UUIDBytes(), nullable=False),
    sa.Column("wrapped_key", _varbinary(WRAPPED_KEY_BYTES), nullable=True),
    sa.Column("kek_id", _varbinary(KEK_ID_BYTES), nullable=False),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("shredded_at", sa.DateTime(), nullable=True),
    # unique: two processes creating the first key for an owner race on this index; one wins
    sa.Index("ix_data_keys_owner_id", "owner_id", unique=True),
)
