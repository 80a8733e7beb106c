"""``SqlPayloadStore`` and ``SqlCsvMappings``: sealed rows in the import tables."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from uuid import UUID

import sqlalchemy as sa
from eventsourcing.persistence import IntegrityError
from sqlalchemy.engine import Engine

from adapters.crypto.keyring import Keyring
from adapters.imports.sealing import open_bytes, seal_bytes
from adapters.imports.tables import import_csv_mappings, import_payloads
from adapters.persistence.transaction import reading, writing
from application.import_mapping import mapping_from_dict, mapping_to_dict
from application.statement import CsvMapping

_p = import_payloads.c
_m = import_csv_mappings.c


class SqlPayloadStore:
    def __init__(self, engine: Engine, keyring: Keyring) -> None:
        self._engine = engine
        self._keyring = keyring

    def put(self, owner_id: UUID, batch_id: UUID, data: bytes) -> None:
        sealed = seal_bytes(self._keyring, owner_id, data, _payload_context(batch_id))
        try:
            with writing(self._engine) as conn:
                conn.execute(
                    import_payloads.insert().values(
                        batch_id=batch_id.bytes,
                        owner_id=owner_id.bytes,
                        sealed=sealed,
                        created_at=_now(),
                    )
                )
        except IntegrityError:
            return  # already stored: the batch id is new for every request

    def get(self, owner_id: UUID, batch_id: UUID) -> bytes | None:
        with reading(self._engine) as conn:
            sealed = conn.scalar(
                sa.select(_p.sealed).where(
                    _p.batch_id == batch_id.bytes, _p.owner_id == owner_id.bytes
                )
            )
        if sealed is None:
            return None
        return open_bytes(self._keyring, owner_id, bytes(sealed), _payload_context(batch_id))


class SqlCsvMappings:
    def __init__(self, engine: Engine, keyring: Keyring) -> None:
        self._engine = engine
        self._keyring = keyring

    def remembered(self, owner_id: UUID, account_id: UUID) -> CsvMapping | None:
        with reading(self._engine) as conn:
            sealed = conn.scalar(
                sa.select(_m.sealed).where(
                    _m.account_id == account_id.bytes, _m.owner_id == owner_id.bytes
                )
            )
        if sealed is None:
            return None
        plain = open_bytes(self._keyring, owner_id, bytes(sealed), _mapping_context(account_id))
        return None if plain is None else mapping_from_dict(json.loads(plain))

    def remember(self, owner_id: UUID, account_id: UUID, mapping: CsvMapping) -> None:
        plain = json.dumps(mapping_to_dict(mapping), sort_keys=True).encode()
        sealed = seal_bytes(self._keyring, owner_id, plain, _mapping_context(account_id))
        with writing(self._engine) as conn:
            changed = conn.execute(
                import_csv_mappings.update()
                .where(_m.account_id == account_id.bytes, _m.owner_id == owner_id.bytes)
                .values(sealed=sealed, updated_at=_now())
            ).rowcount
            if not changed:
                conn.execute(
                    import_csv_mappings.insert().values(
                        account_id=account_id.bytes,
                        owner_id=owner_id.bytes,
                        sealed=sealed,
                        updated_at=_now(),
                    )
                )


def _payload_context(batch_id: UUID) -> bytes:
    return b"import_payloads.sealed" + batch_id.bytes


def _mapping_context(account_id: UUID) -> bytes:
    return b"import_csv_mappings.sealed" + account_id.bytes


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
