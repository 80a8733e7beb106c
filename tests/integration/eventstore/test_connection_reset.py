"""A pooled connection skips the ROLLBACK on return only when it ran nothing since its checkout
or since we committed it."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import pytest
import sqlalchemy as sa
from eventsourcing.persistence import StoredEvent
from sqlalchemy.engine import URL, Engine

from adapters.persistence.application_recorder import SqlApplicationRecorder
from adapters.persistence.engine import create_sync_engine
from adapters.persistence.migrate import migrate


@pytest.fixture
def one_connection(mariadb_url: URL) -> Iterator[Engine]:
    migrate(mariadb_url)
    engine = create_sync_engine(mariadb_url, pool_size=1)
    yield engine
    engine.dispose()


def _rollbacks(engine: Engine) -> int:
    """ROLLBACKs the (single) pooled connection has sent; reading it costs one more."""
    with engine.connect() as conn:
        return int(conn.execute(sa.text("SHOW SESSION STATUS LIKE 'Com_rollback'")).one()[1])


@pytest.mark.mariadb
def test_a_connection_we_committed_goes_back_without_a_rollback(one_connection: Engine) -> None:
    recorder = SqlApplicationRecorder(one_connection)
    before = _rollbacks(one_connection)

    recorder.insert_events([StoredEvent(uuid4(), 1, "t:Event", b"{}")])

    assert _rollbacks(one_connection) == before + 1  # only the one that ended the first read


@pytest.mark.mariadb
def test_a_connection_with_work_in_progress_is_rolled_back(one_connection: Engine) -> None:
    raw = one_connection.raw_connection()
    cursor = raw.cursor()
    cursor.execute("INSERT INTO writer_lock (id) VALUES (2)")
    cursor.close()

    raw.close()  # back to the pool mid-transaction

    with one_connection.connect() as conn:
        assert conn.execute(sa.text("SELECT id FROM writer_lock")).scalars().all() == [1]


@pytest.mark.mariadb
def test_a_read_after_our_commit_is_still_rolled_back(one_connection: Engine) -> None:
    recorder = SqlApplicationRecorder(one_connection)
    recorder.insert_events([StoredEvent(uuid4(), 1, "t:Event", b"{}")])
    with one_connection.connect() as conn:
        conn.execute(sa.text("SELECT 1")).all()
        conn.commit()
        conn.execute(sa.text("SELECT COUNT(*) FROM events")).all()  # a read view again
        before = int(conn.execute(sa.text("SHOW SESSION STATUS LIKE 'Com_rollback'")).one()[1])

    assert _rollbacks(one_connection) == before + 1  # the read view was ended on return


@pytest.mark.mariadb
def test_a_connection_that_ran_nothing_goes_back_without_a_rollback(
    one_connection: Engine,
) -> None:
    before = _rollbacks(one_connection)

    with one_connection.connect():
        pass  # e.g. a command whose append a group-commit leader wrote on its own connection

    assert _rollbacks(one_connection) == before + 1  # only the one that ended the first read
