"""Idempotency claims: stored with the events they produced, in the same transaction."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from adapters.persistence.tables import idempotency_keys
from adapters.persistence.transaction import reading
from application.idempotency import IdempotencyClaim, IdempotencyStore, StoredClaim

_k = idempotency_keys.c
_INSERT = idempotency_keys.insert()
_FIND = sa.select(_k.request_hash, _k.result, _k.position).where(
    _k.owner_id == sa.bindparam("owner_id"), _k.key == sa.bindparam("key")
)


def record_claim(conn: Connection, claim: IdempotencyClaim, position: int) -> None:
    """Insert the claim; a second claim on (owner_id, key) raises an IntegrityError."""
    conn.execute(
        _INSERT,
        {
            "owner_id": claim.owner_id.bytes,
            "key": claim.key,
            "request_hash": claim.request_hash,
            "result": claim.result,
            "position": position,
            "created_at": datetime.now(UTC).replace(tzinfo=None),
        },
    )


def forget_claims_before(conn: Connection, cutoff: datetime) -> int:
    """Delete the claims made before ``cutoff`` (UTC): a repeat after that runs as a new command."""
    stale = idempotency_keys.delete().where(
        _k.created_at < cutoff.astimezone(UTC).replace(tzinfo=None)
    )
    return conn.execute(stale).rowcount


class SqlIdempotencyStore(IdempotencyStore):
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def find(self, owner_id: UUID, key: str) -> StoredClaim | None:
        with reading(self.engine) as conn:
            row = conn.execute(_FIND, {"owner_id": owner_id.bytes, "key": key}).first()
        if row is None:
            return None
        return StoredClaim(request_hash=row[0], result=row[1], position=row[2])
