"""A migrated database (``fintrack migrate``: event store + ``data_keys``), a key file, a keyring.

Stored events go to a plain ``stored_events`` table (eventsourcing's columns) so these tests
exercise the mapper on real rows without depending on the recorders' behaviour.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest
import sqlalchemy as sa
from eventsourcing.persistence import StoredEvent
from sqlalchemy.engine import URL, Engine

from adapters.crypto.keyring import Keyring
from adapters.crypto.master_key import MasterKeys, load_master_keys
from adapters.crypto.tables import UUIDBytes
from adapters.persistence.engine import create_sync_engine
from adapters.persistence.migrate import migrate

events_metadata = sa.MetaData()
stored_events = sa.Table(
    "stored_events",
    events_metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
    sa.Column("originator_id", UUIDBytes(), nullable=False),
    sa.Column("originator_version", sa.BigInteger(), nullable=False),
    sa.Column("topic", sa.Text(), nullable=False),
    sa.Column("state", sa.LargeBinary(), nullable=False),
    sa.UniqueConstraint("originator_id", "originator_version"),
)


@pytest.fixture
def engine(database_url: URL) -> Iterator[Engine]:
    migrate(database_url)
    engine = create_sync_engine(database_url)  # SQLite: WAL, BEGIN IMMEDIATE for writers
    events_metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    return tmp_path / "keys" / "master.key"


@pytest.fixture
def master_keys(key_file: Path) -> MasterKeys:
    return load_master_keys(key_file, create=True)


@pytest.fixture
def keyring(engine: Engine, master_keys: MasterKeys) -> Keyring:
    return Keyring(engine, master_keys)


def store(engine: Engine, events: list[StoredEvent]) -> None:
    with engine.begin() as conn:
        conn.execute(
            sa.insert(stored_events),
            [
                {
                    "originator_id": e.originator_id,
                    "originator_version": e.originator_version,
                    "topic": e.topic,
                    "state": e.state,
                }
                for e in events
            ],
        )


def load(engine: Engine, originator_id: UUID | None = None) -> list[StoredEvent]:
    query = sa.select(stored_events).order_by(stored_events.c.id)
    if originator_id is not None:
        query = query.where(stored_events.c.originator_id == originator_id)
    with engine.connect() as conn:
        return [
            StoredEvent(r.originator_id, r.originator_version, r.topic, bytes(r.state))
            for r in conn.execute(query)
        ]
