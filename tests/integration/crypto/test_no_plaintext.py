from __future__ import annotations

from pathlib import Path
from uuid import uuid4

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from adapters.crypto.keyring import Keyring
from adapters.crypto.mapper import EncryptingMapper
from adapters.crypto.master_key import MasterKeys
from adapters.crypto.tables import data_keys
from adapters.crypto.wrap import unwrap_data_key
from tests.integration.crypto.conftest import store
from tests.unit.crypto.sample import recorded, transcoder


def _every_byte_of_every_row(engine: Engine) -> bytes:
    chunks: list[bytes] = []
    quote = engine.dialect.identifier_preparer.quote
    with engine.connect() as conn:
        for table in sa.inspect(conn).get_table_names():
            for row in conn.execute(sa.text(f"SELECT * FROM {quote(table)}")):
                for value in row:
                    if isinstance(value, (bytes, bytearray, memoryview)):
                        chunks.append(bytes(value))
                    else:
                        chunks.append(str(value).encode())
    return b"\x00".join(chunks)


def _database_files(url: URL) -> bytes:
    if url.get_backend_name() != "sqlite":
        return b""
    database = Path(str(url.database))
    wal = Path(f"{database}-wal")
    assert wal.exists()  # the check below must see the write-ahead log too
    return database.read_bytes() + wal.read_bytes()


def test_no_plaintext_payload_or_key_reaches_any_table_or_database_file(
    engine: Engine, keyring: Keyring, master_keys: MasterKeys, database_url: URL
) -> None:
    markers = [f"MARKER-{n}-{uuid4().hex}" for n in range(20)]
    owners = [uuid4(), uuid4()]
    mapper = EncryptingMapper(transcoder(), keyring)
    store(
        engine, [mapper.to_stored_event(recorded(owners[n % 2], m)) for n, m in enumerate(markers)]
    )
    control = f"CONTROL-{uuid4().hex}"  # proves the scan below sees what is stored in plaintext
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE plain_control (v VARCHAR(100))"))
        conn.execute(sa.text("INSERT INTO plain_control (v) VALUES (:v)"), {"v": control})
    with engine.connect() as conn:
        data_keys_in_clear = [
            unwrap_data_key(
                master_keys.current, row.wrapped_key, dek_id=row.dek_id, owner_id=row.owner_id
            )
            for row in conn.execute(sa.select(data_keys))
        ]

    for dump in (_every_byte_of_every_row(engine), _database_files(database_url)):
        if not dump:
            continue
        assert control.encode() in dump
        for marker in markers:
            assert marker.encode() not in dump
        assert b"12.34" not in dump
        assert master_keys.current.material not in dump
        for key in data_keys_in_clear:
            assert key not in dump
