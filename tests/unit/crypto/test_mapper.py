from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from eventsourcing.compressor import ZlibCompressor
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import MapperDeserialisationError, StoredEvent

from adapters.crypto.mapper import EncryptingMapper
from domain.tombstone import Shredded
from tests.unit.crypto.sample import FakeDataKeys, recorded, transcoder


@pytest.fixture
def keys() -> FakeDataKeys:
    return FakeDataKeys()


@pytest.fixture
def mapper(keys: FakeDataKeys) -> EncryptingMapper:
    return EncryptingMapper(transcoder(), keys)


def test_an_event_round_trips_through_the_mapper(mapper: EncryptingMapper) -> None:
    event = recorded(uuid4(), "ACME Groceries")

    decoded = mapper.to_domain_event(mapper.to_stored_event(event))

    assert decoded == event


def test_the_stored_state_hides_the_payload(mapper: EncryptingMapper) -> None:
    stored = mapper.to_stored_event(recorded(uuid4(), "MARKER-payee-7f3a"))

    assert b"MARKER" not in stored.state
    assert b"12.34" not in stored.state


def test_the_stored_state_names_the_owners_data_key(
    mapper: EncryptingMapper, keys: FakeDataKeys
) -> None:
    owner = uuid4()

    stored = mapper.to_stored_event(recorded(owner, "x"))

    assert stored.state[:1] == b"\x01"
    assert UUID(bytes=stored.state[1:17]) == keys.dek_for(owner).dek_id


@pytest.mark.parametrize(
    "moved",
    [
        {"originator_id": uuid4()},
        {"originator_version": 2},
        {"topic": "tests.unit.crypto.sample:Other"},
    ],
    ids=["another-aggregate", "another-version", "another-topic"],
)
def test_a_ciphertext_moved_to_another_row_fails_to_load(
    mapper: EncryptingMapper, moved: dict[str, object]
) -> None:
    stored = mapper.to_stored_event(recorded(uuid4(), "x"))

    with pytest.raises(MapperDeserialisationError):
        mapper.to_domain_event(dataclasses.replace(stored, **moved))  # type: ignore[arg-type]


def test_a_tampered_ciphertext_fails_to_load(mapper: EncryptingMapper) -> None:
    stored = mapper.to_stored_event(recorded(uuid4(), "x"))
    state = bytearray(stored.state)
    state[40] ^= 1

    with pytest.raises(MapperDeserialisationError):
        mapper.to_domain_event(dataclasses.replace(stored, state=bytes(state)))


@pytest.mark.parametrize("state", [b"", b"\x01" + b"\x00" * 20, b"\x02" + b"\x00" * 60])
def test_a_malformed_state_fails_to_load(mapper: EncryptingMapper, state: bytes) -> None:
    stored = StoredEvent(uuid4(), 1, "tests.unit.crypto.sample:PayeeRecorded", state)

    with pytest.raises(MapperDeserialisationError):
        mapper.to_domain_event(stored)


def test_a_ciphertext_naming_an_unknown_data_key_fails_to_load(mapper: EncryptingMapper) -> None:
    stored = mapper.to_stored_event(recorded(uuid4(), "x"))
    forged = stored.state[:1] + uuid4().bytes + stored.state[17:]

    with pytest.raises(MapperDeserialisationError):
        mapper.to_domain_event(dataclasses.replace(stored, state=forged))


def test_a_shredded_owners_event_decodes_to_a_tombstone(
    mapper: EncryptingMapper, keys: FakeDataKeys
) -> None:
    owner = uuid4()
    event = recorded(owner, "x", version=3)
    stored = mapper.to_stored_event(event)
    keys.shred(owner)

    decoded = mapper.to_domain_event(stored)

    assert decoded == Shredded(
        originator_id=event.originator_id,
        originator_version=3,
        timestamp=datetime(1970, 1, 1, tzinfo=UTC),
        topic=stored.topic,
        owner_id=owner,
    )


def test_an_event_without_an_owner_is_refused(mapper: EncryptingMapper) -> None:
    event = Aggregate.Created(
        originator_id=uuid4(),
        originator_version=1,
        timestamp=datetime.now(UTC),
        originator_topic="x:Y",
    )

    with pytest.raises(TypeError, match="owner_id"):
        mapper.to_stored_event(event)


def test_a_compressed_event_round_trips(keys: FakeDataKeys) -> None:
    mapper = EncryptingMapper(transcoder(), keys, compressor=ZlibCompressor())
    event = recorded(uuid4(), "ACME " * 50)

    assert mapper.to_domain_event(mapper.to_stored_event(event)) == event


def test_a_snapshot_is_encrypted_under_the_owner_named_in_its_state(
    mapper: EncryptingMapper, keys: FakeDataKeys
) -> None:
    owner = uuid4()
    snapshot = Aggregate.Snapshot(
        originator_id=uuid4(),
        originator_version=5,
        timestamp=datetime.now(UTC),
        topic="tests.unit.crypto.sample:PayeeRecorded",
        state={"owner_id": owner, "payee": "MARKER"},
    )

    stored = mapper.to_stored_event(snapshot)

    assert UUID(bytes=stored.state[1:17]) == keys.dek_for(owner).dek_id
    assert mapper.to_domain_event(stored) == snapshot
