"""Per-owner data keys (DEKs) in ``data_keys``, wrapped under the master key; crypto-shredding.

Each owner (user) has one DEK, created on first use. ``shred`` destroys the wrapped key but keeps
the row, so ciphertexts still name their owner and no new key can be made for an erased owner.

Caching and staleness: unwrapped keys are cached per process (LRU, ``cache_size`` entries) for
``cache_ttl`` seconds. ``shred`` evicts the key in the calling process at once; any *other*
process may keep encrypting and decrypting with its cached copy for up to ``cache_ttl`` seconds
after ``shred`` returns. Erasure flows must wait that long before treating the owner as gone
(e.g. before purging read-model rows, so a late write cannot leave plaintext behind).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID, uuid4

import sqlalchemy as sa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.persistence import IntegrityError
from sqlalchemy.engine import Connection, Engine, Row

from adapters.crypto.data_key import HEADER_BYTES, DataKey, sealed_dek_id
from adapters.crypto.errors import (
    CryptoError,
    OwnerShreddedError,
    SealedDataError,
    UnknownDataKeyError,
    UnknownMasterKeyError,
)
from adapters.crypto.master_key import MasterKey, MasterKeys
from adapters.crypto.tables import data_keys
from adapters.crypto.wrap import unwrap_data_key, wrap_data_key
from adapters.persistence.transaction import reading, writing
from application.ttl_cache import TTLCache

_t = data_keys.c
_KeyRow = Row[tuple[UUID, UUID, bytes | None, bytes]]


@dataclass(frozen=True, slots=True)
class _Known:
    owner_id: UUID
    key: DataKey | None  # None: shredded


class Keyring:
    def __init__(
        self,
        engine: Engine,
        master_keys: MasterKeys,
        *,
        cache_size: int = 4096,
        cache_ttl: float = 30.0,
    ) -> None:
        self._engine = engine
        self._master_keys = master_keys
        self._by_owner: TTLCache[UUID, DataKey] = TTLCache(cache_size, cache_ttl)
        self._by_dek: TTLCache[UUID, _Known] = TTLCache(cache_size, cache_ttl)

    def dek_for(self, owner_id: UUID) -> DataKey:
        """The owner's data key, created on first use; ``OwnerShreddedError`` once shredded."""
        key = self._by_owner.get(owner_id)
        if key is not None:
            return key
        row = self._select(_t.owner_id == owner_id)
        if row is None:
            self._create(owner_id)
            row = self._select(_t.owner_id == owner_id)
            if row is None:  # committed by us or by the process that won the race
                raise CryptoError("the owner's data key could not be created")
        known = self._remember(row)
        if known.key is None:
            raise OwnerShreddedError("the owner's data key was shredded")
        return known.key

    def dek_by_id(self, dek_id: UUID) -> DataKey | None:
        """The data key with this id, or None if it was shredded."""
        return self._known(dek_id).key

    def owner_of(self, dek_id: UUID) -> UUID | None:
        """The owner of a data key, shredded or not; None if no such key exists."""
        try:
            return self._known(dek_id).owner_id
        except UnknownDataKeyError:
            return None

    def search_key(self, owner_id: UUID) -> bytes:
        """The owner's key for blind indexes (HMAC over normalised values)."""
        return self.dek_for(owner_id).search_key

    def seal(self, owner_id: UUID, text: str, context: bytes) -> bytes:
        """Encrypt a query-table field under the owner's key, bound to ``context``."""
        return self.dek_for(owner_id).seal(text, context)

    def open(self, owner_id: UUID, blob: bytes, context: bytes) -> str | None:
        """Decrypt a sealed field; None if the owner was shredded, ``SealedDataError`` if forged."""
        key = self.key_of_sealed(owner_id, blob)
        return None if key is None else key.open(blob, context)

    def opener(self, owner_id: UUID) -> FieldOpener:
        """Opens many of the owner's sealed fields (a page of rows) for one key lookup each."""
        return FieldOpener(self, owner_id)

    def key_of_sealed(self, owner_id: UUID, blob: bytes) -> DataKey | None:
        """The owner's data key a sealed field names; None if shredded, ``SealedDataError`` if
        the field is malformed, names an unknown key or another owner's."""
        try:
            known = self._known(sealed_dek_id(blob))
        except UnknownDataKeyError:
            raise SealedDataError("sealed field names an unknown data key") from None
        if known.owner_id != owner_id:
            raise SealedDataError("sealed field belongs to another owner")
        return known.key

    def shred(self, owner_id: UUID) -> int:
        """Destroy the owner's key material (the row stays); return how many keys were destroyed."""
        with writing(self._engine) as conn:
            dek_ids = conn.scalars(sa.select(_t.dek_id).where(_t.owner_id == owner_id)).all()
            destroyed = conn.execute(
                sa.update(data_keys)
                .where(_t.owner_id == owner_id, _t.wrapped_key.is_not(None))
                .values(wrapped_key=None, shredded_at=_utcnow())
            ).rowcount
        self._by_owner.discard(owner_id)
        for dek_id in dek_ids:
            self._by_dek.put(dek_id, _Known(owner_id, None))
        return destroyed

    def rotate(self, new_kek: MasterKey) -> int:
        """Rewrap every live data key under ``new_kek`` in one transaction; return the count.

        Events are untouched: they are encrypted under the data keys, which do not change.
        """
        held = self._master_keys.by_id() | {new_kek.kek_id: new_kek}
        with writing(self._engine) as conn:
            # Lock every row and gap first (MariaDB; SQLite's BEGIN IMMEDIATE already holds the
            # file's write lock) so no data key is created under the old master key meanwhile.
            conn.execute(sa.update(data_keys).values(kek_id=_t.kek_id))
            live = conn.execute(
                sa.select(_t.dek_id, _t.owner_id, _t.wrapped_key, _t.kek_id)
                .where(_t.wrapped_key.is_not(None))
                .with_for_update()
            ).all()
            rewrapped = [
                {
                    "b_dek_id": row.dek_id,
                    "b_wrapped_key": wrap_data_key(
                        new_kek,
                        self._unwrap(row, held),
                        dek_id=row.dek_id,
                        owner_id=row.owner_id,
                    ),
                    "b_kek_id": new_kek.kek_id,
                }
                for row in live
            ]
            if rewrapped:
                conn.execute(
                    sa.update(data_keys)
                    .where(_t.dek_id == sa.bindparam("b_dek_id"))
                    .values(
                        wrapped_key=sa.bindparam("b_wrapped_key"), kek_id=sa.bindparam("b_kek_id")
                    ),
                    rewrapped,
                )
        self._master_keys = MasterKeys(current=new_kek)
        return len(rewrapped)

    def verify(self) -> None:
        """Startup check: every live data key is wrapped under a master key we hold."""
        with reading(self._engine) as conn:
            self._refuse_unknown_master_keys(conn)

    def _create(self, owner_id: UUID) -> None:
        kek = self._master_keys.newest
        dek_id = uuid4()
        wrapped = wrap_data_key(kek, AESGCM.generate_key(256), dek_id=dek_id, owner_id=owner_id)
        try:
            with writing(self._engine) as conn:
                conn.execute(
                    sa.insert(data_keys).values(
                        dek_id=dek_id,
                        owner_id=owner_id,
                        wrapped_key=wrapped,
                        kek_id=kek.kek_id,
                        created_at=_utcnow(),
                    )
                )
                # A process started before a master-key rotation must not add a key wrapped
                # under the key the rotation discarded: it would be lost on the next restart.
                self._refuse_unknown_master_keys(conn)
        except IntegrityError:
            pass  # another process created this owner's key first; the caller reads theirs

    def _refuse_unknown_master_keys(self, conn: Connection) -> None:
        foreign = conn.scalars(
            sa.select(_t.kek_id)
            .where(_t.wrapped_key.is_not(None), _t.kek_id.not_in(self._master_keys.by_id()))
            .limit(1)
        ).first()
        if foreign is not None:
            raise UnknownMasterKeyError(_unknown_master_key_message(foreign))

    def _known(self, dek_id: UUID) -> _Known:
        known = self._by_dek.get(dek_id)
        if known is not None:
            return known
        row = self._select(_t.dek_id == dek_id)
        if row is None:
            raise UnknownDataKeyError(f"no data key {dek_id}")
        return self._remember(row)

    def _select(self, where: sa.ColumnElement[bool]) -> _KeyRow | None:
        with reading(self._engine) as conn:
            return conn.execute(
                sa.select(_t.dek_id, _t.owner_id, _t.wrapped_key, _t.kek_id).where(where)
            ).first()

    def _remember(self, row: _KeyRow) -> _Known:
        key = None
        if row.wrapped_key is not None:
            material = self._unwrap(row, self._master_keys.by_id())
            key = DataKey.from_material(material, dek_id=row.dek_id, owner_id=row.owner_id)
            self._by_owner.put(row.owner_id, key)
        known = _Known(row.owner_id, key)
        self._by_dek.put(row.dek_id, known)
        return known

    @staticmethod
    def _unwrap(row: _KeyRow, held: dict[bytes, MasterKey]) -> bytes:
        kek = held.get(bytes(row.kek_id))
        if kek is None:
            raise UnknownMasterKeyError(_unknown_master_key_message(row.kek_id))
        assert row.wrapped_key is not None
        return unwrap_data_key(
            kek, bytes(row.wrapped_key), dek_id=row.dek_id, owner_id=row.owner_id
        )


class FieldOpener:
    """One owner's sealed fields opened with the keys resolved once per distinct key header, not
    once per field (each resolution takes the keyring cache's lock and parses the header)."""

    __slots__ = ("_keyring", "_keys", "_owner_id")

    def __init__(self, keyring: Keyring, owner_id: UUID) -> None:
        self._keyring = keyring
        self._owner_id = owner_id
        self._keys: dict[bytes, DataKey | None] = {}

    def open(self, blob: bytes, context: bytes) -> str | None:
        """As ``Keyring.open`` for this owner."""
        header = blob[:HEADER_BYTES]
        try:
            key = self._keys[header]
        except KeyError:
            key = self._keys[header] = self._keyring.key_of_sealed(self._owner_id, blob)
        return None if key is None else key.open(blob, context)


def _unknown_master_key_message(kek_id: bytes) -> str:
    return (
        f"a data key is wrapped under master key {bytes(kek_id).hex()}, which this process does "
        "not hold: was the master key rotated or the key file replaced? restart with the right key"
    )


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
