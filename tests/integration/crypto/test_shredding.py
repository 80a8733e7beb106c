from __future__ import annotations

import time
from uuid import uuid4

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from adapters.crypto.errors import OwnerShreddedError, SealedDataError
from adapters.crypto.keyring import Keyring
from adapters.crypto.mapper import EncryptingMapper
from adapters.crypto.master_key import MasterKeys
from adapters.crypto.tables import data_keys
from domain.tombstone import Shredded
from tests.integration.crypto.conftest import load, store
from tests.unit.crypto.sample import PayeeRecorded, recorded, transcoder


def test_a_shredded_owners_events_decode_to_tombstones_while_others_still_decode(
    engine: Engine, keyring: Keyring, master_keys: MasterKeys
) -> None:
    alice, bob, alice_account, bob_account = uuid4(), uuid4(), uuid4(), uuid4()
    mapper = EncryptingMapper(transcoder(), keyring)
    store(
        engine,
        [
            mapper.to_stored_event(recorded(alice, "a1", originator_id=alice_account, version=1)),
            mapper.to_stored_event(recorded(alice, "a2", originator_id=alice_account, version=2)),
            mapper.to_stored_event(recorded(bob, "b1", originator_id=bob_account)),
        ],
    )

    assert keyring.shred(alice) == 1

    for reader in (mapper, EncryptingMapper(transcoder(), Keyring(engine, master_keys))):
        decoded = [reader.to_domain_event(row) for row in load(engine)]
        assert [type(e) for e in decoded] == [Shredded, Shredded, PayeeRecorded]
        assert all(e.owner_id == alice for e in decoded[:2])  # type: ignore[attr-defined]
        assert [e.originator_version for e in decoded[:2]] == [1, 2]
        assert decoded[2] == recorded(bob, "b1", originator_id=bob_account)


def test_shredding_destroys_the_key_material_but_keeps_the_owner(
    engine: Engine, keyring: Keyring
) -> None:
    owner = uuid4()
    dek_id = keyring.dek_for(owner).dek_id

    assert keyring.shred(owner) == 1
    assert keyring.shred(owner) == 0

    with engine.connect() as conn:
        row = conn.execute(sa.select(data_keys).where(data_keys.c.owner_id == owner)).one()
    assert row.wrapped_key is None
    assert row.shredded_at is not None
    assert keyring.dek_by_id(dek_id) is None
    assert keyring.owner_of(dek_id) == owner


def test_no_new_key_can_be_created_for_a_shredded_owner(engine: Engine, keyring: Keyring) -> None:
    owner = uuid4()
    keyring.dek_for(owner)
    keyring.shred(owner)

    with pytest.raises(OwnerShreddedError):
        keyring.dek_for(owner)
    with pytest.raises(OwnerShreddedError):
        keyring.seal(owner, "late write", b"ctx")
    with engine.connect() as conn:
        count = conn.scalar(
            sa.select(sa.func.count()).select_from(data_keys).where(data_keys.c.owner_id == owner)
        )
    assert count == 1


def test_sealed_fields_open_until_the_owner_is_shredded(keyring: Keyring) -> None:
    owner = uuid4()
    blob = keyring.seal(owner, "DE89 3704 0044 0532 0130 00", b"accounts.iban:1")
    assert keyring.open(owner, blob, b"accounts.iban:1") == "DE89 3704 0044 0532 0130 00"

    keyring.shred(owner)

    assert keyring.open(owner, blob, b"accounts.iban:1") is None


def test_a_sealed_field_presented_for_another_owner_is_refused(keyring: Keyring) -> None:
    blob = keyring.seal(uuid4(), "rent", b"ctx")

    with pytest.raises(SealedDataError):
        keyring.open(uuid4(), blob, b"ctx")


def test_another_process_stops_using_a_shredded_key_within_the_cache_ttl(
    engine: Engine, keyring: Keyring, master_keys: MasterKeys, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The caches' clock, not the wall's: a slow shred on a loaded machine must not end the
    # window before it is observed (a 0.2 s TTL did, once).
    now = [time.monotonic()]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    owner = uuid4()
    other_process = Keyring(engine, master_keys, cache_ttl=30.0)
    dek_id = other_process.dek_for(owner).dek_id

    keyring.shred(owner)

    assert other_process.dek_by_id(dek_id) is not None  # the documented staleness window
    now[0] += 30.5
    assert other_process.dek_by_id(dek_id) is None
    with pytest.raises(OwnerShreddedError):
        other_process.dek_for(owner)
