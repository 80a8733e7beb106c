"""``verify``: rebuild every projection into scratch tables and compare them with the live ones.

The live tables are read in one snapshot transaction, started before anything else, together
with their tracking positions; the rebuild stops at exactly those positions, so a projector
running meanwhile causes no false differences. Sealed cells are opened and compared as plaintext
(their nonces differ between two builds). Returns the differences; the CLI prints them and exits 1
if there are any. The scratch tables are dropped afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from adapters.crypto.errors import CryptoError
from adapters.crypto.keyring import Keyring
from adapters.persistence.transaction import writing
from adapters.readmodel.projector import read_positions, set_position, tracking_name
from adapters.readmodel.registry import select_writers
from adapters.readmodel.replay import build_scratch, exclusive_rebuild
from adapters.readmodel.table_sets import SCRATCH
from adapters.readmodel.writer import ProjectionWriter
from adapters.runtime import CoreRuntime
from projections.text_protector import field_context

MAX_REPORTED = 200


@dataclass(frozen=True, slots=True)
class Difference:
    table: str
    key: str  # the primary key, shown
    problem: (
        str  # "missing from the live table", "not in the rebuild", or "column: live != rebuilt"
    )

    def __str__(self) -> str:
        return f"{self.table} [{self.key}]: {self.problem}"


def verify(runtime: CoreRuntime, projection: str | None = None) -> list[Difference]:
    chosen = select_writers(runtime.keyring, [projection] if projection else [])
    differences: list[Difference] = []
    with exclusive_rebuild(runtime), _snapshot(runtime.engine) as live:
        positions = read_positions(live, [tracking_name(w.name) for w in chosen])
        groups: dict[int, list[ProjectionWriter]] = {}
        for writer in chosen:  # writers at the same position are rebuilt in one pass
            groups.setdefault(positions[tracking_name(writer.name)], []).append(writer)
        for stop, group in groups.items():
            scratch, _, _ = build_scratch(runtime, group, stop=stop)
            try:
                with runtime.engine.connect() as rebuilt:
                    for table in (t for w in group for t in w.tables()):
                        differences += compare(
                            runtime.keyring,
                            table,
                            _rows(live, table),
                            _rows(rebuilt, scratch[table]),
                        )
            finally:
                with writing(runtime.engine) as conn:
                    scratch.drop(conn)
                    for writer in group:
                        set_position(conn, tracking_name(writer.name, SCRATCH), 0)
    return differences


def compare(
    keyring: Keyring,
    table: sa.Table,
    live: Mapping[tuple[Any, ...], Any],
    rebuilt: Mapping[tuple[Any, ...], Any],
) -> list[Difference]:
    found: list[Difference] = []
    for key in sorted(live.keys() | rebuilt.keys(), key=repr):
        shown = ", ".join(str(k) for k in key)
        if key not in live:
            found.append(Difference(table.name, shown, "missing from the live table"))
        elif key not in rebuilt:
            found.append(Difference(table.name, shown, "not in the rebuild"))
        else:
            for column in table.columns:
                a = _plain(keyring, table, column, live[key])
                b = _plain(keyring, table, column, rebuilt[key])
                if a != b:
                    found.append(Difference(table.name, shown, f"{column.name}: {a!r} != {b!r}"))
        if len(found) >= MAX_REPORTED:
            break
    return found


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        if engine.dialect.name != "sqlite":
            conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            conn.exec_driver_sql("START TRANSACTION WITH CONSISTENT SNAPSHOT")
        else:
            conn.exec_driver_sql(
                "SELECT 1"
            )  # pysqlite: BEGIN, then the first read fixes the snapshot
        yield conn
        conn.rollback()


def _rows(conn: Connection, table: sa.Table) -> dict[tuple[Any, ...], Any]:
    key = [c.name for c in table.primary_key.columns]
    return {tuple(getattr(row, k) for k in key): row for row in conn.execute(sa.select(table))}


def _plain(keyring: Keyring, table: sa.Table, column: sa.Column[Any], row: Any) -> Any:
    value = getattr(row, column.name)
    prefix = column.info.get("sealed")
    if prefix is None or not value:  # None, or empty: an empty text is stored as such
        return bytes(value) if isinstance(value, (bytes, memoryview)) else value
    row_key = b"".join(_key_bytes(getattr(row, k)) for k in column.info.get("sealed_key", ("id",)))
    table_name, field = str(prefix).split(".", 1)
    try:
        return keyring.open(row.owner_id, bytes(value), field_context(table_name, field, row_key))
    except CryptoError as error:
        return f"<unreadable: {error}>"


def _key_bytes(value: Any) -> bytes:
    if isinstance(value, UUID):
        return value.bytes
    if isinstance(value, int):
        return value.to_bytes(8, "big")
    raise TypeError(f"cannot use {type(value).__name__} in a sealed field's row key")
