"""Sessions, refresh tokens, personal access tokens and login failures, in SQL.

Async (SQLAlchemy Core over asyncmy/aiosqlite), not sync: ``session_active`` runs on every
authenticated request, and a thread hop per request costs p99 6 -> 38 ms on this box
(stack-facts 3.5); the read side already has an async engine to share. Every check is one
primary-key or indexed lookup, which is why revocation needs no cache: a revoked session is refused
on the very next request, in every replica.
"""

from __future__ import annotations

import contextlib
import enum
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.http.auth.tables import (
    auth_login_failures,
    auth_personal_tokens,
    auth_refresh_tokens,
    auth_sessions,
)


@contextlib.asynccontextmanager
async def _transaction(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """``engine.begin()``, but atomic on MariaDB too: the shared read engine is AUTOCOMMIT there,
    where ``begin()`` would let each statement commit on its own."""
    async with engine.connect() as conn:
        if engine.dialect.name != "sqlite":
            await conn.execution_options(isolation_level="READ COMMITTED")
        async with conn.begin():
            yield conn


# Built once: this runs on every authenticated request (a new statement costs a cache-key walk).
_SESSION = sa.select(auth_sessions.c.revoked_ms, auth_sessions.c.expires_ms).where(
    auth_sessions.c.id == sa.bindparam("session_id")
)


class Rotation(enum.Enum):
    ROTATED = "rotated"
    UNKNOWN = "unknown"  # no such token, expired, or its session ended
    REUSED = "reused"  # a spent token came back: the family has been revoked


@dataclass(frozen=True, slots=True)
class RotationResult:
    outcome: Rotation
    user_id: UUID | None = None
    session_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class PersonalToken:
    id: UUID
    user_id: UUID
    name: str
    scope: str
    created_ms: int
    expires_ms: int | None


class AuthStore(Protocol):
    async def start_session(
        self,
        *,
        user_id: UUID,
        session_id: UUID,
        refresh_hash: bytes,
        now_ms: int,
        refresh_expires_ms: int,
        session_expires_ms: int,
    ) -> None: ...
    async def rotate_refresh(
        self, *, token_hash: bytes, new_hash: bytes, now_ms: int, new_expires_ms: int
    ) -> RotationResult: ...
    async def session_active(self, session_id: UUID, now_ms: int) -> bool: ...
    async def revoke_session(self, session_id: UUID, now_ms: int, reason: str) -> None: ...
    async def revoke_user_sessions(self, user_id: UUID, now_ms: int, reason: str) -> None: ...
    async def add_personal_token(self, token: PersonalToken, token_hash: bytes) -> None: ...
    async def personal_tokens(self, user_id: UUID) -> list[PersonalToken]: ...
    async def find_personal_token(self, token_hash: bytes, now_ms: int) -> PersonalToken | None: ...
    async def revoke_personal_token(self, user_id: UUID, token_id: UUID, now_ms: int) -> bool: ...
    async def record_failure(self, subjects: list[str], now_ms: int, window_ms: int) -> None: ...
    async def recent_failures(self, subject: str, since_ms: int) -> list[int]: ...
    async def clear_failures(self, subject: str) -> None: ...


class SqlAuthStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def start_session(
        self,
        *,
        user_id: UUID,
        session_id: UUID,
        refresh_hash: bytes,
        now_ms: int,
        refresh_expires_ms: int,
        session_expires_ms: int,
    ) -> None:
        async with _transaction(self._engine) as conn:
            await conn.execute(
                auth_sessions.insert().values(
                    id=session_id, user_id=user_id, created_ms=now_ms, expires_ms=session_expires_ms
                )
            )
            await conn.execute(
                auth_refresh_tokens.insert().values(
                    token_hash=refresh_hash,
                    session_id=session_id,
                    issued_ms=now_ms,
                    expires_ms=min(refresh_expires_ms, session_expires_ms),
                )
            )

    async def rotate_refresh(
        self, *, token_hash: bytes, new_hash: bytes, now_ms: int, new_expires_ms: int
    ) -> RotationResult:
        async with _transaction(self._engine) as conn:
            row = (
                await conn.execute(
                    sa.select(
                        auth_refresh_tokens.c.session_id,
                        auth_refresh_tokens.c.expires_ms,
                        auth_refresh_tokens.c.spent_ms,
                        auth_sessions.c.user_id,
                        auth_sessions.c.revoked_ms,
                        auth_sessions.c.expires_ms.label("session_expires_ms"),
                    )
                    .join(auth_sessions, auth_sessions.c.id == auth_refresh_tokens.c.session_id)
                    .where(auth_refresh_tokens.c.token_hash == token_hash)
                )
            ).one_or_none()
            if row is None:
                return RotationResult(Rotation.UNKNOWN)
            if row.spent_ms is not None:
                await _revoke_session(conn, row.session_id, now_ms, "refresh-reuse")
                return RotationResult(Rotation.REUSED, row.user_id, row.session_id)
            if row.revoked_ms is not None or now_ms >= min(row.expires_ms, row.session_expires_ms):
                return RotationResult(Rotation.UNKNOWN)
            # The conditional update is the race arbiter: of two concurrent uses exactly one
            # spends the token; the loser is treated as reuse, as the OAuth 2.0 BCP advises.
            spent = await conn.execute(
                auth_refresh_tokens.update()
                .where(
                    auth_refresh_tokens.c.token_hash == token_hash,
                    auth_refresh_tokens.c.spent_ms.is_(None),
                )
                .values(spent_ms=now_ms)
            )
            if spent.rowcount != 1:
                await _revoke_session(conn, row.session_id, now_ms, "refresh-reuse")
                return RotationResult(Rotation.REUSED, row.user_id, row.session_id)
            await conn.execute(
                auth_refresh_tokens.insert().values(
                    token_hash=new_hash,
                    session_id=row.session_id,
                    issued_ms=now_ms,
                    expires_ms=min(new_expires_ms, row.session_expires_ms),
                )
            )
            return RotationResult(Rotation.ROTATED, row.user_id, row.session_id)

    async def session_active(self, session_id: UUID, now_ms: int) -> bool:
        async with self._engine.connect() as conn:
            row = (await conn.execute(_SESSION, {"session_id": session_id})).one_or_none()
        return row is not None and row.revoked_ms is None and now_ms < row.expires_ms

    async def revoke_session(self, session_id: UUID, now_ms: int, reason: str) -> None:
        async with _transaction(self._engine) as conn:
            await _revoke_session(conn, session_id, now_ms, reason)

    async def revoke_user_sessions(self, user_id: UUID, now_ms: int, reason: str) -> None:
        async with _transaction(self._engine) as conn:
            await conn.execute(
                auth_sessions.update()
                .where(auth_sessions.c.user_id == user_id, auth_sessions.c.revoked_ms.is_(None))
                .values(revoked_ms=now_ms, revoked_reason=reason)
            )

    async def add_personal_token(self, token: PersonalToken, token_hash: bytes) -> None:
        async with _transaction(self._engine) as conn:
            await conn.execute(
                auth_personal_tokens.insert().values(
                    id=token.id,
                    user_id=token.user_id,
                    name=token.name,
                    scope=token.scope,
                    token_hash=token_hash,
                    created_ms=token.created_ms,
                    expires_ms=token.expires_ms,
                )
            )

    async def personal_tokens(self, user_id: UUID) -> list[PersonalToken]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                sa.select(*_PAT_COLUMNS)
                .where(
                    auth_personal_tokens.c.user_id == user_id,
                    auth_personal_tokens.c.revoked_ms.is_(None),
                )
                .order_by(auth_personal_tokens.c.created_ms, auth_personal_tokens.c.id)
            )
            return [PersonalToken(*row) for row in rows]

    async def find_personal_token(self, token_hash: bytes, now_ms: int) -> PersonalToken | None:
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    sa.select(*_PAT_COLUMNS).where(
                        auth_personal_tokens.c.token_hash == token_hash,
                        auth_personal_tokens.c.revoked_ms.is_(None),
                    )
                )
            ).one_or_none()
        if row is None:
            return None
        token = PersonalToken(*row)
        if token.expires_ms is not None and now_ms >= token.expires_ms:
            return None
        return token

    async def revoke_personal_token(self, user_id: UUID, token_id: UUID, now_ms: int) -> bool:
        async with _transaction(self._engine) as conn:
            result = await conn.execute(
                auth_personal_tokens.update()
                .where(
                    auth_personal_tokens.c.id == token_id,
                    auth_personal_tokens.c.user_id == user_id,  # another user's id: not found
                    auth_personal_tokens.c.revoked_ms.is_(None),
                )
                .values(revoked_ms=now_ms)
            )
            return result.rowcount == 1

    async def record_failure(self, subjects: list[str], now_ms: int, window_ms: int) -> None:
        async with _transaction(self._engine) as conn:
            await conn.execute(
                auth_login_failures.insert(),
                [{"subject": subject, "failed_ms": now_ms} for subject in subjects],
            )
            await conn.execute(  # keep the table small: only the current window matters
                auth_login_failures.delete().where(
                    auth_login_failures.c.subject.in_(subjects),
                    auth_login_failures.c.failed_ms < now_ms - window_ms,
                )
            )

    async def recent_failures(self, subject: str, since_ms: int) -> list[int]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                sa.select(auth_login_failures.c.failed_ms)
                .where(
                    auth_login_failures.c.subject == subject,
                    auth_login_failures.c.failed_ms >= since_ms,
                )
                .order_by(auth_login_failures.c.failed_ms.desc())
                .limit(1000)
            )
            return [row.failed_ms for row in rows]

    async def clear_failures(self, subject: str) -> None:
        async with _transaction(self._engine) as conn:
            await conn.execute(
                auth_login_failures.delete().where(auth_login_failures.c.subject == subject)
            )


_PAT_COLUMNS = (
    auth_personal_tokens.c.id,
    auth_personal_tokens.c.user_id,
    auth_personal_tokens.c.name,
    auth_personal_tokens.c.scope,
    auth_personal_tokens.c.created_ms,
    auth_personal_tokens.c.expires_ms,
)


async def _revoke_session(
    conn: AsyncConnection, session_id: UUID, now_ms: int, reason: str
) -> None:
    await conn.execute(
        auth_sessions.update()
        .where(auth_sessions.c.id == session_id, auth_sessions.c.revoked_ms.is_(None))
        .values(revoked_ms=now_ms, revoked_reason=reason)
    )
