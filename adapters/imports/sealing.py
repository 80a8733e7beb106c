"""Seal bytes (not text) under an owner's data key: the uploaded files and CSV mappings.

Same layout and key as ``DataKey.seal`` (format ‖ dek_id ‖ nonce ‖ ciphertext ‖ tag, AAD =
format ‖ dek_id ‖ context), applied to zlib-compressed bytes.
"""

from __future__ import annotations

import os
import zlib
from uuid import UUID

from cryptography.exceptions import InvalidTag

from adapters.crypto.data_key import NONCE_BYTES, SEALED_FORMAT, sealed_dek_id
from adapters.crypto.errors import OwnerShreddedError, SealedDataError
from adapters.crypto.keyring import Keyring

_HEADER = 1 + 16


def seal_bytes(keyring: Keyring, owner_id: UUID, data: bytes, context: bytes) -> bytes:
    key = keyring.dek_for(owner_id)
    header = SEALED_FORMAT + key.dek_id.bytes
    nonce = os.urandom(NONCE_BYTES)
    return header + nonce + key.field_aead.encrypt(nonce, zlib.compress(data, 1), header + context)


def open_bytes(keyring: Keyring, owner_id: UUID, blob: bytes, context: bytes) -> bytes | None:
    """The data, or None if the owner was shredded; ``SealedDataError`` if tampered with."""
    dek_id = sealed_dek_id(blob)
    if keyring.owner_of(dek_id) != owner_id:
        raise SealedDataError("sealed data belongs to another owner")
    try:
        key = keyring.dek_by_id(dek_id)
    except OwnerShreddedError:
        return None
    if key is None:
        return None
    header, nonce = blob[:_HEADER], blob[_HEADER : _HEADER + NONCE_BYTES]
    try:
        plain = key.field_aead.decrypt(nonce, blob[_HEADER + NONCE_BYTES :], header + context)
    except InvalidTag:
        raise SealedDataError("sealed data failed authentication") from None
    return zlib.decompress(plain)
