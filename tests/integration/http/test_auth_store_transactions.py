"""The auth store's multi-statement writes are atomic on both databases, although the read
engine it shares is AUTOCOMMIT on MariaDB (where ``engine.begin()`` alone would not be)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from uuid import uuid4

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.http.auth.store import SqlAuthStore
from adapters.http.auth.tables import auth_sessions
from adapters.persistence.migrate import migrate
from adapters.readmodel.reader import create_read_engine
from tests.integration.ledger.conftest import settings_for

HOUR_MS = 3_600_000


@pytest.fixture
async def engine(database_url: URL, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    settings = settings_for(database_url, tmp_path / "var")
    migrate(settings.sync_url)
    engine = create_read_engine(settings)
    yield engine
    await engine.dispose()


async def _sessions(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(sa.select(sa.func.count()).select_from(auth_sessions)) or 0)


async def test_a_session_whose_refresh_token_cannot_be_stored_is_not_stored_either(
    engine: AsyncEngine,
) -> None:
    store, user, refresh_hash = SqlAuthStore(engine), uuid4(), b"h" * 32
    times = {"now_ms": 1, "refresh_expires_ms": HOUR_MS, "session_expires_ms": HOUR_MS}
    await store.start_session(user_id=user, session_id=uuid4(), refresh_hash=refresh_hash, **times)

    with pytest.raises(IntegrityError):  # the same refresh token hash again: its insert fails
        await store.start_session(
            user_id=user, session_id=uuid4(), refresh_hash=refresh_hash, **times
        )

    assert await _sessions(engine) == 1  # the second session's row went with it
