from __future__ import annotations

import os
import stat
from pathlib import Path
from uuid import uuid4

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from adapters.crypto.errors import CryptoError, UnknownMasterKeyError
from adapters.crypto.keyring import Keyring
from adapters.crypto.mapper import EncryptingMapper
from adapters.crypto.master_key import MasterKey, MasterKeys, load_master_keys, next_key_path
from adapters.crypto.rotation import rotate_master_key
from adapters.crypto.tables import data_keys
from adapters.crypto.wrap import unwrap_data_key
from tests.integration.crypto.conftest import load, store
from tests.unit.crypto.sample import PayeeRecorded, recorded, transcoder


def _store_events_of_three_owners_and_shred_one(engine: Engine, keyring: Keyring) -> None:
    owners = [uuid4(), uuid4(), uuid4()]
    mapper = EncryptingMapper(transcoder(), keyring)
    store(engine, [mapper.to_stored_event(recorded(owner, "payee")) for owner in owners])
    keyring.shred(owners[2])


def _decoded_types(engine: Engine, master_keys: MasterKeys) -> list[str]:
    mapper = EncryptingMapper(transcoder(), Keyring(engine, master_keys))
    return [type(mapper.to_domain_event(row)).__name__ for row in load(engine)]


def test_rotating_rewraps_live_keys_so_events_still_decode_and_the_old_key_is_useless(
    engine: Engine, keyring: Keyring, master_keys: MasterKeys
) -> None:
    _store_events_of_three_owners_and_shred_one(engine, keyring)
    new_kek = MasterKey.generate()

    assert keyring.rotate(new_kek) == 2

    expected = ["PayeeRecorded", "PayeeRecorded", "Shredded"]
    assert _decoded_types(engine, MasterKeys(current=new_kek)) == expected
    with pytest.raises(UnknownMasterKeyError):
        _decoded_types(engine, master_keys)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(data_keys).where(data_keys.c.wrapped_key.is_not(None))).all()
    assert {row.kek_id for row in rows} == {new_kek.kek_id}
    for row in rows:
        with pytest.raises(CryptoError):
            unwrap_data_key(
                master_keys.current, row.wrapped_key, dek_id=row.dek_id, owner_id=row.owner_id
            )


def test_the_keyring_that_rotated_keeps_working_under_the_new_key(
    engine: Engine, keyring: Keyring
) -> None:
    owner = uuid4()
    keyring.dek_for(owner)
    keyring.rotate(MasterKey.generate())

    assert keyring.dek_for(uuid4()).owner_id != owner  # a new owner's key is wrapped fine
    keyring.verify()


def test_rotate_master_key_replaces_the_key_file_and_rewraps(
    engine: Engine, keyring: Keyring, key_file: Path, master_keys: MasterKeys
) -> None:
    _store_events_of_three_owners_and_shred_one(engine, keyring)

    assert rotate_master_key(engine, key_file) == 2

    rotated = load_master_keys(key_file, create=False)
    assert rotated.pending is None
    assert rotated.current.kek_id != master_keys.current.kek_id
    assert not next_key_path(key_file).exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert _decoded_types(engine, rotated) == ["PayeeRecorded", "PayeeRecorded", "Shredded"]


def test_a_crash_between_the_commit_and_the_rename_is_recoverable(
    engine: Engine, keyring: Keyring, key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _store_events_of_three_owners_and_shred_one(engine, keyring)
    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", _crash)  # the rename of .next over the key file
        with pytest.raises(SystemExit):
            rotate_master_key(engine, key_file)

    after_crash = load_master_keys(key_file, create=False)
    assert after_crash.pending is not None
    assert _decoded_types(engine, after_crash) == ["PayeeRecorded", "PayeeRecorded", "Shredded"]
    Keyring(engine, after_crash).verify()

    assert rotate_master_key(engine, key_file) == 2  # resumes with the same pending key
    resumed = load_master_keys(key_file, create=False)
    assert resumed.current.kek_id == after_crash.pending.kek_id
    assert _decoded_types(engine, resumed) == ["PayeeRecorded", "PayeeRecorded", "Shredded"]


def test_a_crash_before_the_commit_leaves_the_old_wrapping_usable(
    engine: Engine, keyring: Keyring, key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _store_events_of_three_owners_and_shred_one(engine, keyring)
    with monkeypatch.context() as patch:
        patch.setattr(Keyring, "rotate", _crash)
        with pytest.raises(SystemExit):
            rotate_master_key(engine, key_file)

    after_crash = load_master_keys(key_file, create=False)
    assert after_crash.pending is not None
    assert _decoded_types(engine, after_crash) == ["PayeeRecorded", "PayeeRecorded", "Shredded"]
    owner = uuid4()
    Keyring(engine, after_crash).dek_for(owner)  # new keys go under the pending master key

    assert rotate_master_key(engine, key_file) == 3
    assert _decoded_types(engine, load_master_keys(key_file, create=False))[0] == "PayeeRecorded"


def test_a_process_still_holding_the_old_master_key_cannot_add_keys_after_a_rotation(
    engine: Engine, keyring: Keyring, key_file: Path
) -> None:
    keyring.dek_for(uuid4())
    rotate_master_key(engine, key_file)
    owner = uuid4()

    with pytest.raises(UnknownMasterKeyError):
        keyring.dek_for(owner)

    with engine.connect() as conn:
        created = conn.scalars(sa.select(data_keys.c.dek_id).where(data_keys.c.owner_id == owner))
        assert created.all() == []


def test_verify_refuses_a_master_key_that_did_not_wrap_the_stored_keys(
    engine: Engine, keyring: Keyring
) -> None:
    keyring.dek_for(uuid4())

    with pytest.raises(UnknownMasterKeyError):
        Keyring(engine, MasterKeys(current=MasterKey.generate())).verify()


def test_events_written_before_a_rotation_keep_their_payload(
    engine: Engine, keyring: Keyring, key_file: Path
) -> None:
    owner = uuid4()
    event = recorded(owner, "ACME")
    store(engine, [EncryptingMapper(transcoder(), keyring).to_stored_event(event)])

    rotate_master_key(engine, key_file)

    mapper = EncryptingMapper(
        transcoder(), Keyring(engine, load_master_keys(key_file, create=False))
    )
    (row,) = load(engine)
    decoded = mapper.to_domain_event(row)
    assert isinstance(decoded, PayeeRecorded)
    assert decoded == event


def _crash(*_args: object, **_kwargs: object) -> None:
    raise SystemExit("simulated crash")
