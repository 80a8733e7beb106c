from __future__ import annotations

from uuid import uuid4

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from adapters.crypto.errors import CryptoError
from adapters.crypto.master_key import MasterKey
from adapters.crypto.wrap import WRAPPED_KEY_BYTES, unwrap_data_key, wrap_data_key


def test_a_wrapped_data_key_unwraps_to_the_same_bytes() -> None:
    kek, dek, dek_id, owner_id = MasterKey.generate(), AESGCM.generate_key(256), uuid4(), uuid4()

    wrapped = wrap_data_key(kek, dek, dek_id=dek_id, owner_id=owner_id)

    assert len(wrapped) == WRAPPED_KEY_BYTES
    assert dek not in wrapped
    assert unwrap_data_key(kek, wrapped, dek_id=dek_id, owner_id=owner_id) == dek


def test_another_master_key_cannot_unwrap() -> None:
    dek_id, owner_id = uuid4(), uuid4()
    wrapped = wrap_data_key(
        MasterKey.generate(), AESGCM.generate_key(256), dek_id=dek_id, owner_id=owner_id
    )

    with pytest.raises(CryptoError):
        unwrap_data_key(MasterKey.generate(), wrapped, dek_id=dek_id, owner_id=owner_id)


def test_a_wrapped_key_copied_to_another_owner_or_id_does_not_unwrap() -> None:
    kek, dek_id, owner_id = MasterKey.generate(), uuid4(), uuid4()
    wrapped = wrap_data_key(kek, AESGCM.generate_key(256), dek_id=dek_id, owner_id=owner_id)

    with pytest.raises(CryptoError):
        unwrap_data_key(kek, wrapped, dek_id=dek_id, owner_id=uuid4())
    with pytest.raises(CryptoError):
        unwrap_data_key(kek, wrapped, dek_id=uuid4(), owner_id=owner_id)


def test_a_master_key_id_is_a_stable_fingerprint_that_hides_the_key() -> None:
    kek = MasterKey.generate()

    assert kek.kek_id == MasterKey(kek.material).kek_id
    assert len(kek.kek_id) == 8
    assert kek.kek_id != MasterKey.generate().kek_id
    assert kek.material.hex() not in repr(kek)
    assert kek.kek_id.hex() in repr(kek)
