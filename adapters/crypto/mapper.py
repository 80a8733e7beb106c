"""``EncryptingMapper``: event state encrypted under the owner's data key, bound to its row.

Stored state: format (1) ‖ dek_id (16) ‖ nonce (12) ‖ AES-256-GCM ciphertext ‖ tag (16), with
AAD = originator_id (16) ‖ originator_version (8, big-endian) ‖ topic (utf-8). A ciphertext
copied onto another aggregate, version or event type therefore fails authentication.

Decoding an event whose data key was shredded returns a ``domain.tombstone.Shredded`` instead of
raising; a failed authentication always raises ``MapperDeserialisationError``, never a tombstone.
Plug it in with ``Application.construct_mapper()`` (it needs the keyring, which the env cannot
provide). Unwrapped keys and their AES-GCM contexts are cached by the keyring, so a warm mapper
does no database round trip per event.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any, Protocol, cast
from uuid import UUID

from cryptography.exceptions import InvalidTag
from eventsourcing.domain import DomainEventProtocol, Snapshot
from eventsourcing.persistence import (
    Compressor,
    Mapper,
    MapperDeserialisationError,
    StoredEvent,
    Transcoder,
)

from adapters.crypto.data_key import DataKey
from adapters.crypto.errors import UnknownDataKeyError
from domain.tombstone import Shredded

FORMAT = b"\x01"
_NONCE = 12
_HEADER = 1 + 16 + _NONCE
_TAG = 16
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class DataKeys(Protocol):
    """What the mapper needs from ``adapters.crypto.keyring.Keyring``."""

    def dek_for(self, owner_id: UUID) -> DataKey: ...

    def dek_by_id(self, dek_id: UUID) -> DataKey | None:
        """None if shredded; raises ``UnknownDataKeyError`` if no such key exists."""

    def owner_of(self, dek_id: UUID) -> UUID | None: ...


class EncryptingMapper(Mapper[UUID]):
    def __init__(
        self, transcoder: Transcoder, keyring: DataKeys, compressor: Compressor | None = None
    ) -> None:
        super().__init__(transcoder, compressor=compressor, cipher=None)
        self.keyring = keyring

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        owner_id = _owner_of(domain_event)
        plain = super().to_stored_event(domain_event)  # transcode (+ compress), no cipher
        key = self.keyring.dek_for(owner_id)
        nonce = os.urandom(_NONCE)
        sealed = key.aead.encrypt(nonce, plain.state, _aad(plain))
        return StoredEvent(
            originator_id=plain.originator_id,
            originator_version=plain.originator_version,
            topic=plain.topic,
            state=FORMAT + key.dek_id.bytes + nonce + sealed,
        )

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        state = stored_event.state
        if len(state) < _HEADER + _TAG or state[:1] != FORMAT:
            raise _undecodable(stored_event, "unknown format")
        dek_id = UUID(bytes=bytes(state[1:17]))
        try:
            key = self.keyring.dek_by_id(dek_id)
        except UnknownDataKeyError:
            raise _undecodable(stored_event, f"unknown data key {dek_id}") from None
        if key is None:
            return cast("DomainEventProtocol[UUID]", self._tombstone(stored_event, dek_id))
        try:
            plain = key.aead.decrypt(state[17:_HEADER], state[_HEADER:], _aad(stored_event))
        except InvalidTag:
            raise _undecodable(stored_event, "authentication failed") from None
        return super().to_domain_event(
            StoredEvent(
                originator_id=stored_event.originator_id,
                originator_version=stored_event.originator_version,
                topic=stored_event.topic,
                state=plain,
            )
        )

    def _tombstone(self, stored_event: StoredEvent, dek_id: UUID) -> Shredded:
        return Shredded(
            originator_id=_uuid(stored_event.originator_id),
            originator_version=stored_event.originator_version,
            timestamp=_EPOCH,
            topic=stored_event.topic,
            owner_id=self.keyring.owner_of(dek_id),
        )


def _owner_of(domain_event: DomainEventProtocol[UUID]) -> UUID:
    owner_id: Any = getattr(domain_event, "owner_id", None)
    if owner_id is None and isinstance(domain_event, Snapshot):
        owner_id = domain_event.state.get("owner_id")  # snapshots carry the aggregate's state
    if not isinstance(owner_id, UUID):
        raise TypeError(
            f"{type(domain_event).__qualname__} has no owner_id: UUID; every event we store "
            "must name its owner so it can be encrypted under the owner's key"
        )
    return owner_id


def _aad(stored_event: StoredEvent) -> bytes:
    return (
        _uuid(stored_event.originator_id).bytes
        + stored_event.originator_version.to_bytes(8, "big")
        + stored_event.topic.encode()
    )


def _uuid(originator_id: UUID | str) -> UUID:
    return originator_id if isinstance(originator_id, UUID) else UUID(originator_id)


def _undecodable(stored_event: StoredEvent, reason: str) -> MapperDeserialisationError:
    return MapperDeserialisationError(
        f"cannot decrypt stored event {stored_event.originator_id} "
        f"v{stored_event.originator_version} ({stored_event.topic}): {reason}"
    )
