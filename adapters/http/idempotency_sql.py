"""``IdempotentResponses`` in SQL: the primary key (owner, key) decides which request runs."""

from __future__ import annotations

from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.http.auth.tables import http_idempotency as table
from adapters.http.idempotency import Claim, StoredResponse


class SqlIdempotentResponses:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def claim(
        self, owner_id: UUID, key: str, request_hash: bytes, now_ms: int, lease_ms: int
    ) -> Claim:
        try:
            async with self._engine.begin() as conn:
                await conn.execute(
                    table.insert().values(
                        owner_id=owner_id,
                        key=key,
                        request_hash=request_hash,
                        state="pending",
                        lease_until_ms=now_ms + lease_ms,
                        created_ms=now_ms,
                    )
                )
            return Claim("acquired", request_hash)
        except IntegrityError:
            pass  # someone holds or held this key
        async with self._engine.begin() as conn:
            row = (
                await conn.execute(
                    sa.select(
                        table.c.request_hash,
                        table.c.state,
                        table.c.lease_until_ms,
                        table.c.status_code,
                        table.c.content_type,
                        table.c.body,
                    ).where(table.c.owner_id == owner_id, table.c.key == key)
                )
            ).one_or_none()
            if row is None:  # released between our insert and select: try again next round
                return Claim("pending", request_hash)
            if row.state == "done":
                response = StoredResponse(row.status_code, row.content_type, row.body)
                return Claim("done", row.request_hash, response)
            if row.lease_until_ms < now_ms and row.request_hash == request_hash:
                taken = await conn.execute(  # the holder died: take over its expired lease
                    table.update()
                    .where(
                        table.c.owner_id == owner_id,
                        table.c.key == key,
                        table.c.state == "pending",
                        table.c.lease_until_ms == row.lease_until_ms,
                    )
                    .values(lease_until_ms=now_ms + lease_ms)
                )
                if taken.rowcount == 1:
                    return Claim("acquired", request_hash)
            return Claim("pending", row.request_hash)

    async def complete(self, owner_id: UUID, key: str, response: StoredResponse) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                table.update()
                .where(table.c.owner_id == owner_id, table.c.key == key)
                .values(
                    state="done",
                    status_code=response.status_code,
                    content_type=response.content_type,
                    body=response.body,
                )
            )

    async def release(self, owner_id: UUID, key: str) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                table.delete().where(
                    table.c.owner_id == owner_id, table.c.key == key, table.c.state == "pending"
                )
            )
