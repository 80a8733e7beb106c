"""A pooled connection killed server-side is replaced before the next append uses it."""

from __future__ import annotations

from uuid import uuid4

import pytest
import sqlalchemy as sa
from eventsourcing.persistence import StoredEvent
from sqlalchemy.engine import URL

from adapters.persistence.application_recorder import SqlApplicationRecorder
from adapters.persistence.engine import create_sync_engine
from adapters.persistence.migrate import migrate


@pytest.mark.mariadb
def test_an_append_after_the_connection_was_killed_succeeds(mariadb_url: URL) -> None:
    migrate(mariadb_url)
    engine = create_sync_engine(mariadb_url, pool_size=1)
    try:
        recorder = SqlApplicationRecorder(engine)
        recorder.insert_events([StoredEvent(uuid4(), 1, "t:Event", b"{}")])
        with engine.connect() as conn:
            killed = conn.execute(sa.text("SELECT CONNECTION_ID()")).scalar_one()
        admin = sa.create_engine(mariadb_url)
        with admin.connect() as conn:
            conn.execute(sa.text(f"KILL {int(killed)}"))
        admin.dispose()

        assert recorder.insert_events([StoredEvent(uuid4(), 1, "t:Event", b"{}")]) == [2]
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT CONNECTION_ID()")).scalar_one() != killed
    finally:
        engine.dispose()
