from __future__ import annotations

from uuid import uuid4

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from adapters.crypto.data_key import DataKey, sealed_dek_id
from adapters.crypto.errors import SealedDataError


def _key() -> DataKey:
    return DataKey.from_material(AESGCM.generate_key(256), dek_id=uuid4(), owner_id=uuid4())


def test_a_sealed_field_opens_with_the_same_context() -> None:
    key = _key()

    blob = key.seal("Café Zürich", b"transactions.payee:1")

    assert "Café".encode() not in blob
    assert sealed_dek_id(blob) == key.dek_id
    assert key.open(blob, b"transactions.payee:1") == "Café Zürich"


def test_a_sealed_field_moved_to_another_context_is_refused() -> None:
    key = _key()
    blob = key.seal("rent", b"transactions.payee:1")

    with pytest.raises(SealedDataError):
        key.open(blob, b"transactions.payee:2")


def test_a_tampered_sealed_field_is_refused() -> None:
    key = _key()
    blob = bytearray(key.seal("rent", b"ctx"))
    blob[-1] ^= 1

    with pytest.raises(SealedDataError):
        key.open(bytes(blob), b"ctx")


def test_a_field_sealed_under_another_key_is_refused() -> None:
    with pytest.raises(SealedDataError):
        _key().open(_key().seal("rent", b"ctx"), b"ctx")


def test_the_search_key_is_derived_deterministically_and_differs_from_the_data_key() -> None:
    material, dek_id, owner_id = AESGCM.generate_key(256), uuid4(), uuid4()

    first = DataKey.from_material(material, dek_id=dek_id, owner_id=owner_id)
    again = DataKey.from_material(material, dek_id=dek_id, owner_id=owner_id)

    assert first.search_key == again.search_key
    assert len(first.search_key) == 32
    assert first.search_key != material
    assert first.search_key != _key().search_key
