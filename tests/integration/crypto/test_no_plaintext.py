from __future__ import annotations

from uuid import uuid4

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from adapters.crypto.keyring import Keyring
from adapters.crypto.mapper import EncryptingMapper
from adapters.crypto.master_key import MasterKeys
from adapters.crypto.tables import data_keys
from adapters.crypto.wrap import unwrap_data_key
from tests.database_dump import database_files, every_byte_of_every_row
from tests.integration.crypto.conftest import store
from tests.unit.crypto.sample import recorded, transcoder


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

    for dump in (every_byte_of_every_row(engine), database_files(database_url)):
        if not dump:
            continue
        assert control.encode() in dump
        for marker in markers:
            assert marker.encode() not in dump
        assert b"12.34" not in dump
        assert master_keys.current.material not in dump
        for key in data_keys_in_clear:
            assert key not in dump
