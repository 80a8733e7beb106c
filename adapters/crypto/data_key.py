"""An unwrapped per-owner data key (DEK) and the keys derived from it.

* events are encrypted with the DEK itself (``adapters.crypto.mapper``);
* query-table fields are sealed with a subkey, HKDF(DEK, info=b"fintrack field seal");
* blind indexes use the search key, HKDF(DEK, info=b"fintrack search index").
Separate keys per purpose mean a ciphertext made for one purpose can never be accepted by another.
The raw DEK is not kept on the object: only the AES-GCM contexts and the derived search key.

Sealed field layout: format (1) ‖ dek_id (16) ‖ nonce (12) ‖ ciphertext ‖ tag (16); the AAD is
the format byte, the dek_id and the caller's ``context`` (e.g. b"transactions.payee" + row id).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from adapters.crypto.errors import SealedDataError

NONCE_BYTES = 12
SEALED_FORMAT = b"\x01"
HEADER_BYTES = 1 + 16
_MIN_SEALED_BYTES = HEADER_BYTES + NONCE_BYTES + 16


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class DataKey:
    dek_id: UUID
    owner_id: UUID
    aead: AESGCM  # the DEK: encrypts event state
    field_aead: AESGCM
    search_key: bytes
    header: bytes  # what every field sealed under this key starts with: format ‖ dek_id

    @classmethod
    def from_material(cls, material: bytes, *, dek_id: UUID, owner_id: UUID) -> DataKey:
        return cls(
            dek_id=dek_id,
            owner_id=owner_id,
            aead=AESGCM(material),
            field_aead=AESGCM(_derive(material, b"fintrack field seal")),
            search_key=_derive(material, b"fintrack search index"),
            header=SEALED_FORMAT + dek_id.bytes,
        )

    def seal(self, text: str, context: bytes) -> bytes:
        header = self.header
        nonce = os.urandom(NONCE_BYTES)
        return header + nonce + self.field_aead.encrypt(nonce, text.encode(), header + context)

    def open(self, blob: bytes, context: bytes) -> str:
        header = self.header
        if len(blob) < _MIN_SEALED_BYTES or blob[:HEADER_BYTES] != header:
            raise SealedDataError("sealed field was not sealed under this data key")
        nonce = blob[HEADER_BYTES : HEADER_BYTES + NONCE_BYTES]
        try:
            plain = self.field_aead.decrypt(
                nonce, blob[HEADER_BYTES + NONCE_BYTES :], header + context
            )
        except InvalidTag:
            raise SealedDataError("sealed field failed authentication") from None
        return plain.decode()

    def __repr__(self) -> str:
        return f"DataKey(dek_id={self.dek_id}, owner_id={self.owner_id})"


def sealed_dek_id(blob: bytes) -> UUID:
    """The id of the data key a sealed field was made with (the header is not secret)."""
    if len(blob) < _MIN_SEALED_BYTES or blob[:1] != SEALED_FORMAT:
        raise SealedDataError("sealed field is malformed")
    return UUID(bytes=blob[1:HEADER_BYTES])


def _derive(material: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(material)
