from __future__ import annotations

from uuid import uuid4

import pytest
import sqlalchemy as sa
from eventsourcing.persistence import MapperDeserialisationError
from sqlalchemy.engine import Engine

from adapters.crypto.keyring import Keyring
from adapters.crypto.mapper import EncryptingMapper
from tests.integration.crypto.conftest import load, store, stored_events
from tests.unit.crypto.sample import recorded, transcoder


def _copy_state(
    engine: Engine, source: sa.ColumnElement[bool], target: sa.ColumnElement[bool]
) -> None:
    with engine.begin() as conn:
        state = conn.scalars(sa.select(stored_events.c.state).where(source)).one()
        conn.execute(sa.update(stored_events).where(target).values(state=state))


def test_a_ciphertext_copied_onto_another_originators_row_fails_to_load(
    engine: Engine, keyring: Keyring
) -> None:
    mapper = EncryptingMapper(transcoder(), keyring)
    owner, alice_account, bob_account = uuid4(), uuid4(), uuid4()
    store(
        engine,
        [
            mapper.to_stored_event(recorded(owner, "alice", originator_id=alice_account)),
            mapper.to_stored_event(recorded(owner, "bob", originator_id=bob_account)),
        ],
    )
    _copy_state(
        engine,
        stored_events.c.originator_id == alice_account,
        stored_events.c.originator_id == bob_account,
    )

    (bob_row,) = load(engine, bob_account)
    with pytest.raises(MapperDeserialisationError):
        mapper.to_domain_event(bob_row)
    (alice_row,) = load(engine, alice_account)
    assert mapper.to_domain_event(alice_row).originator_id == alice_account


def test_a_ciphertext_copied_onto_another_version_fails_to_load(
    engine: Engine, keyring: Keyring
) -> None:
    mapper = EncryptingMapper(transcoder(), keyring)
    owner, account = uuid4(), uuid4()
    store(
        engine,
        [
            mapper.to_stored_event(recorded(owner, "v1", originator_id=account, version=1)),
            mapper.to_stored_event(recorded(owner, "v2", originator_id=account, version=2)),
        ],
    )
    _copy_state(
        engine,
        stored_events.c.originator_version == 1,
        stored_events.c.originator_version == 2,
    )

    version_1, version_2 = load(engine, account)
    assert mapper.to_domain_event(version_1).originator_version == 1
    with pytest.raises(MapperDeserialisationError):
        mapper.to_domain_event(version_2)
