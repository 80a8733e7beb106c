"""A small event class, the project's transcoder setup and an in-memory keyring for crypto tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.persistence import DatetimeAsISO, DecimalAsStr, JSONTranscoder, UUIDAsHex

from adapters.crypto.data_key import DataKey
from adapters.crypto.errors import OwnerShreddedError, UnknownDataKeyError


@dataclass(frozen=True)
class PayeeRecorded:
    originator_id: UUID
    originator_version: int
    timestamp: datetime
    owner_id: UUID
    payee: str
    amount: Decimal

    def mutate(self, aggregate: Any) -> Any:
        return aggregate


def recorded(
    owner_id: UUID, payee: str, *, originator_id: UUID | None = None, version: int = 1
) -> PayeeRecorded:
    return PayeeRecorded(
        originator_id=originator_id or uuid4(),
        originator_version=version,
        timestamp=datetime(2026, 3, 14, 9, 26, 53, tzinfo=UTC),
        owner_id=owner_id,
        payee=payee,
        amount=Decimal("12.34"),
    )


def transcoder() -> JSONTranscoder:
    result = JSONTranscoder()
    result.register(UUIDAsHex())
    result.register(DecimalAsStr())
    result.register(DatetimeAsISO())
    return result


class FakeDataKeys:
    """The mapper's ``DataKeys`` port, in memory."""

    def __init__(self) -> None:
        self._keys: dict[UUID, DataKey] = {}
        self._owners: dict[UUID, UUID] = {}
        self._shredded: set[UUID] = set()

    def dek_for(self, owner_id: UUID) -> DataKey:
        for key in self._keys.values():
            if key.owner_id == owner_id:
                if key.dek_id in self._shredded:
                    raise OwnerShreddedError("shredded")
                return key
        dek_id = uuid4()
        key = DataKey.from_material(AESGCM.generate_key(256), dek_id=dek_id, owner_id=owner_id)
        self._keys[dek_id] = key
        self._owners[dek_id] = owner_id
        return key

    def dek_by_id(self, dek_id: UUID) -> DataKey | None:
        if dek_id not in self._keys:
            raise UnknownDataKeyError("unknown")
        return None if dek_id in self._shredded else self._keys[dek_id]

    def owner_of(self, dek_id: UUID) -> UUID | None:
        return self._owners.get(dek_id)

    def shred(self, owner_id: UUID) -> None:
        self._shredded.update(d for d, o in self._owners.items() if o == owner_id)
