"""A pooled connection that sat idle is pinged before use, and replaced if the server dropped it;
one in use a moment ago is handed out without the round trip."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest
import sqlalchemy as sa
from eventsourcing.persistence import StoredEvent
from sqlalchemy.engine import URL

from adapters.persistence import idle_ping
from adapters.persistence.application_recorder import SqlApplicationRecorder
from adapters.persistence.engine import create_sync_engine
from adapters.persistence.migrate import migrate


def _event() -> list[StoredEvent]:
    return [StoredEvent(uuid4(), 1, "t:Event", b"{}")]


@pytest.mark.mariadb
def test_an_append_after_the_idle_connection_was_killed_succeeds(
    mariadb_url: URL, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(idle_ping, "IDLE_PING_S", 0.0)  # any wait counts as idle
    migrate(mariadb_url)
    engine = create_sync_engine(mariadb_url, pool_size=1)
    try:
        recorder = SqlApplicationRecorder(engine)
        recorder.insert_events(_event())
        with engine.connect() as conn:
            killed = conn.execute(sa.text("SELECT CONNECTION_ID()")).scalar_one()
        admin = sa.create_engine(mariadb_url)
        with admin.connect() as conn:
            conn.execute(sa.text(f"KILL {int(killed)}"))
        admin.dispose()

        assert recorder.insert_events(_event()) == [2]
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT CONNECTION_ID()")).scalar_one() != killed
    finally:
        engine.dispose()


@pytest.mark.mariadb
def test_only_a_connection_idle_for_a_while_is_pinged(
    mariadb_url: URL, monkeypatch: pytest.MonkeyPatch
) -> None:
    migrate(mariadb_url)
    engine = create_sync_engine(mariadb_url, pool_size=1)
    pings: list[Any] = []
    ping = engine.dialect.do_ping

    def counted_ping(dbapi_connection: Any) -> bool:
        pings.append(dbapi_connection)
        return ping(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counted_ping)
    try:
        recorder = SqlApplicationRecorder(engine)
        for _ in range(3):
            recorder.insert_events(_event())
        assert pings == []  # back in the pool for less than IDLE_PING_S each time

        monkeypatch.setattr(idle_ping, "IDLE_PING_S", 0.0)
        recorder.insert_events(_event())
        assert len(pings) == 1
    finally:
        engine.dispose()
