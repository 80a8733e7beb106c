"""The read engine pings a pooled connection only after it sat idle, and replaces a dropped one."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from adapters.persistence import idle_ping
from adapters.readmodel.reader import create_read_engine
from tests.integration.readmodel.read_runtime import settings_for


@pytest.mark.mariadb
def test_a_query_after_the_idle_connection_was_killed_succeeds(
    mariadb_url: URL, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(idle_ping, "IDLE_PING_S", 0.0)  # any wait counts as idle
    settings = settings_for(mariadb_url, tmp_path / "var")
    connection_id = sa.text("SELECT CONNECTION_ID()")

    async def scenario() -> tuple[int, int]:
        engine = create_read_engine(settings, pool_size=1)
        try:
            async with engine.connect() as conn:
                killed = int((await conn.execute(connection_id)).scalar_one())
            admin = sa.create_engine(mariadb_url)
            with admin.connect() as conn:
                conn.execute(sa.text(f"KILL {killed}"))
            admin.dispose()
            async with engine.connect() as conn:
                return killed, int((await conn.execute(connection_id)).scalar_one())
        finally:
            await engine.dispose()

    killed, serving = asyncio.run(scenario())
    assert serving != killed
