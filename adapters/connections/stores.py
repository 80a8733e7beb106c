"""SQL adapters of the connection ports: the sealed credential vault and the due-list."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from adapters.connections.tables import connection_credentials, connection_schedule
from adapters.crypto.keyring import Keyring
from adapters.persistence.transaction import reading, writing
from application.connection_ports import NeedsReauthentication

_c = connection_credentials.c
_s = connection_schedule.c


def _context(ref: UUID) -> bytes:
    return b"fintrack:connection-credentials:" + ref.bytes


class SqlCredentialVault:
    def __init__(self, engine: Engine, keyring: Keyring) -> None:
        self._engine = engine
        self._keyring = keyring

    def put(self, owner_id: UUID, ref: UUID, credentials: Mapping[str, str]) -> None:
        text = json.dumps(dict(credentials), sort_keys=True, separators=(",", ":"))
        sealed = self._keyring.seal(owner_id, text, _context(ref))
        now = int(time.time() * 1000)
        with writing(self._engine) as conn:
            updated = conn.execute(
                sa.update(connection_credentials)
                .where(_c.ref == ref, _c.owner_id == owner_id)
                .values(sealed=sealed, updated_ms=now)
            ).rowcount
            if not updated:
                conn.execute(
                    sa.insert(connection_credentials).values(
                        ref=ref, owner_id=owner_id, sealed=sealed, updated_ms=now
                    )
                )

    def get(self, owner_id: UUID, ref: UUID) -> dict[str, str]:
        with reading(self._engine) as conn:
            sealed = conn.scalar(sa.select(_c.sealed).where(_c.ref == ref, _c.owner_id == owner_id))
        if sealed is None:
            raise NeedsReauthentication("the connection's credentials are gone: connect again")
        text = self._keyring.open(owner_id, bytes(sealed), _context(ref))
        if text is None:
            raise NeedsReauthentication("the connection's credentials were erased")
        loaded: dict[str, str] = json.loads(text)
        return loaded

    def delete(self, owner_id: UUID, ref: UUID) -> None:
        with writing(self._engine) as conn:
            conn.execute(
                sa.delete(connection_credentials).where(_c.ref == ref, _c.owner_id == owner_id)
            )


class SqlSyncSchedule:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def set_due(self, connection_id: UUID, owner_id: UUID, due_at: datetime | None) -> None:
        due_ms = None if due_at is None else int(due_at.timestamp() * 1000)
        with writing(self._engine) as conn:
            updated = conn.execute(
                sa.update(connection_schedule)
                .where(_s.connection_id == connection_id)
                .values(due_ms=due_ms)
            ).rowcount
            if not updated:
                conn.execute(
                    sa.insert(connection_schedule).values(
                        connection_id=connection_id, owner_id=owner_id, due_ms=due_ms
                    )
                )

    def due(self, now: datetime, limit: int) -> list[tuple[UUID, UUID]]:
        now_ms = int(now.astimezone(UTC).timestamp() * 1000)
        with reading(self._engine) as conn:
            rows = conn.execute(
                sa.select(_s.connection_id, _s.owner_id)
                .where(_s.due_ms.is_not(None), _s.due_ms <= now_ms)
                .order_by(_s.due_ms)
                .limit(limit)
            ).all()
        return [(row.connection_id, row.owner_id) for row in rows]

    def owned_by(self, owner_id: UUID) -> list[UUID]:
        with reading(self._engine) as conn:
            return list(
                conn.scalars(sa.select(_s.connection_id).where(_s.owner_id == owner_id)).all()
            )

    def claim_due(
        self, now: datetime, lease_until: datetime, limit: int
    ) -> list[tuple[UUID, UUID]]:
        """The due connections, each pushed to ``lease_until`` by this caller alone: a row
        another sweeper claimed first is left out (its due time moved under us)."""
        now_ms = int(now.timestamp() * 1000)
        lease_ms = int(lease_until.timestamp() * 1000)
        claimed = []
        for connection_id, owner_id in self.due(now, limit):
            with writing(self._engine) as conn:
                won = conn.execute(
                    sa.update(connection_schedule)
                    .where(
                        _s.connection_id == connection_id,
                        _s.due_ms.is_not(None),
                        _s.due_ms <= now_ms,
                    )
                    .values(due_ms=lease_ms)
                ).rowcount
            if won:
                claimed.append((connection_id, owner_id))
        return claimed
