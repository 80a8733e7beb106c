"""Wrapping data keys (DEKs) under a master key: AES-256-GCM with the key's identity as AAD.

The associated data binds a wrapped key to its ``dek_id`` and ``owner_id``, so a wrapped key
copied onto another row (another owner) fails to unwrap instead of silently decrypting their data.
Layout: nonce (12) ‖ ciphertext (32) ‖ tag (16) = 60 bytes.
"""

from __future__ import annotations

import os
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from adapters.crypto.errors import CryptoError
from adapters.crypto.master_key import MasterKey

NONCE_BYTES = 12
WRAPPED_KEY_BYTES = 60
_AAD_LABEL = b"fintrack dek v1\x00"


def wrap_data_key(kek: MasterKey, dek: bytes, *, dek_id: UUID, owner_id: UUID) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(kek.material).encrypt(nonce, dek, _aad(dek_id, owner_id))


def unwrap_data_key(kek: MasterKey, wrapped: bytes, *, dek_id: UUID, owner_id: UUID) -> bytes:
    """Return the data key; raise ``CryptoError`` if the wrong KEK, row or tampered bytes."""
    if len(wrapped) != WRAPPED_KEY_BYTES:
        raise CryptoError(f"wrapped data key {dek_id} has the wrong length")
    nonce, sealed = wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:]
    try:
        return AESGCM(kek.material).decrypt(nonce, sealed, _aad(dek_id, owner_id))
    except InvalidTag:
        raise CryptoError(f"data key {dek_id} does not unwrap under its master key") from None


def _aad(dek_id: UUID, owner_id: UUID) -> bytes:
    return _AAD_LABEL + dek_id.bytes + owner_id.bytes
