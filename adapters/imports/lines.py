"""Line keys and the set-based existence check over the event store."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator, Sequence
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from eventsourcing.persistence import Mapper, StoredEvent
from sqlalchemy.engine import Connection, Engine

from adapters.crypto.keyring import Keyring
from adapters.imports.tables import import_line_fingerprints
from adapters.persistence.id_lists import ids_in, ids_in_sql
from adapters.persistence.tables import events
from adapters.persistence.transaction import reading, writing
from application.import_ports import ImportedOriginal, KnownLine
from domain.transaction import Transaction

_e = events.c
_FP = import_line_fingerprints
_f = _FP.c
_CHUNK = 1000
_INFO = b"fintrack import line id"


class KeyringLineKeys:
    """HMAC(search key, purpose): a key per owner and purpose, gone when the owner is shredded."""

    def __init__(self, keyring: Keyring) -> None:
        self._keyring = keyring

    def key_for(self, owner_id: UUID) -> bytes:
        return hmac.new(self._keyring.search_key(owner_id), _INFO, hashlib.sha256).digest()


class SqlExistingTransactions:
    def __init__(self, engine: Engine, mapper: Mapper[UUID]) -> None:
        self._engine = engine
        self._mapper = mapper

    def existing(self, ids: Sequence[UUID]) -> dict[UUID, KnownLine]:
        found: dict[UUID, KnownLine] = {}
        batches: dict[bytes, UUID] = {}  # a statement's lines share a few batches: one UUID each
        with reading(self._engine) as conn:
            rows_of = _packed_rows if conn.dialect.name != "sqlite" else _rows
            for start in range(0, len(ids), _CHUNK):
                by_bytes = {i.bytes: i for i in ids[start : start + _CHUNK]}
                for raw_id, batch, fingerprint in rows_of(conn, list(by_bytes)):
                    if batch is not None and batch not in batches:
                        batches[batch] = UUID(bytes=batch)
                    found[by_bytes[raw_id]] = KnownLine(
                        batch_id=None if batch is None else batches[batch], fingerprint=fingerprint
                    )
        return found

    def remember(self, lines: Sequence[tuple[UUID, UUID, bytes]]) -> None:
        ignore = "OR IGNORE" if self._engine.dialect.name == "sqlite" else "IGNORE"
        with writing(self._engine) as conn:
            for start in range(0, len(lines), _CHUNK):
                conn.execute(
                    _FP.insert().prefix_with(ignore),
                    [
                        {"transaction_id": t.bytes, "batch_id": b.bytes, "fingerprint": f}
                        for t, b, f in lines[start : start + _CHUNK]
                    ],
                )

    def originals(self, ids: Sequence[UUID]) -> dict[UUID, ImportedOriginal]:
        found: dict[UUID, ImportedOriginal] = {}
        with reading(self._engine) as conn:
            for start in range(0, len(ids), _CHUNK):
                chunk = [i.bytes for i in ids[start : start + _CHUNK]]
                rows = conn.execute(
                    sa.select(_e.originator_id, _e.topic, _e.state).where(
                        ids_in(_e.originator_id, chunk), _e.originator_version == 1
                    )
                ).all()
                for raw_id, topic, state in rows:
                    originator_id = UUID(bytes=bytes(raw_id))
                    event = self._mapper.to_domain_event(
                        StoredEvent(originator_id, 1, topic, bytes(state))
                    )
                    if isinstance(event, Transaction.Recorded):
                        found[originator_id] = ImportedOriginal(
                            actor=event.actor,
                            amount=event.amount,
                            booked_on=event.booked_on,
                            value_date=event.value_date,
                            payee=event.payee,
                            counterparty_name=event.counterparty_name,
                            description=event.description,
                        )
        return found


_Known = tuple[bytes, bytes | None, bytes | None]  # (transaction id, batch id, fingerprint)


def _rows(conn: Connection, chunk: Sequence[bytes]) -> Iterator[_Known]:
    query = (
        sa.select(_e.originator_id, _f.batch_id, _f.fingerprint)
        .select_from(events.outerjoin(_FP, _f.transaction_id == _e.originator_id))
        .where(ids_in(_e.originator_id, chunk), _e.originator_version == 1)
    )
    for raw_id, batch, fingerprint in conn.execute(query):
        yield bytes(raw_id), _bytes_or_none(batch), _bytes_or_none(fingerprint)


_RECORD_CHARS = 3 * 32 + 3  # three hex values, two colons, a comma
_PACKED = (
    "SET STATEMENT group_concat_max_len = {max_len} FOR"  # whatever the server's default
    f" SELECT COUNT(*), GROUP_CONCAT(CONCAT_WS(':', HEX({events.name}.originator_id),"
    f" IFNULL(HEX({_FP.name}.batch_id), '-'), IFNULL(HEX({_FP.name}.fingerprint), '-'))"
    f" SEPARATOR ',') FROM {events.name} LEFT JOIN {_FP.name}"
    f" ON {_FP.name}.transaction_id = {events.name}.originator_id"
    f" WHERE {events.name}.originator_version = 1 AND "
)


def _packed_rows(conn: Connection, chunk: Sequence[bytes]) -> Iterator[_Known]:
    """The same rows packed by MariaDB into one ``id:batch:fingerprint,…`` hex string: pymysql
    reads every row of a result as a packet in Python, which made a re-import's existence check
    cost twice what the server spends on it. The statement sets the length the chunk needs; the
    count guards against a string cut short all the same."""
    statement = _PACKED.format(max_len=len(chunk) * _RECORD_CHARS)
    count, text = conn.exec_driver_sql(statement + ids_in_sql(_e.originator_id, chunk)).one()
    records = text.split(",") if text else []
    if len(records) != count:
        raise RuntimeError(f"existence check read {len(records)} of {count} rows")
    for record in records:
        raw_id, batch, fingerprint = record.split(":")
        yield (
            bytes.fromhex(raw_id),
            None if batch == "-" else bytes.fromhex(batch),
            None if fingerprint == "-" else bytes.fromhex(fingerprint),
        )


def _bytes_or_none(value: Any) -> bytes | None:
    return None if value is None else bytes(value)
