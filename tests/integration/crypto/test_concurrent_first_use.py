from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from uuid import UUID, uuid4

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from adapters.crypto.data_key import DataKey
from adapters.crypto.keyring import Keyring
from adapters.crypto.master_key import MasterKeys
from adapters.crypto.tables import data_keys
from adapters.persistence.engine import create_sync_engine

PROCESSES = 3


def test_processes_racing_to_create_an_owners_first_key_end_up_using_one(
    engine: Engine, master_keys: MasterKeys, database_url: URL
) -> None:
    owner = uuid4()
    # every "process" has read "no key yet" before any of them inserts: the worst interleaving
    everyone_checked = threading.Barrier(PROCESSES)

    class RacingKeyring(Keyring):
        def _create(self, owner_id: UUID) -> None:
            everyone_checked.wait(timeout=10)
            super()._create(owner_id)

    engines = [create_sync_engine(database_url) for _ in range(PROCESSES)]
    try:
        keyrings = [RacingKeyring(e, master_keys) for e in engines]
        with ThreadPoolExecutor(PROCESSES) as pool:
            keys: list[DataKey] = list(pool.map(lambda k: k.dek_for(owner), keyrings))
    finally:
        for e in engines:
            e.dispose()

    assert len({key.dek_id for key in keys}) == 1
    sealed = keys[0].seal("shared", b"ctx")
    assert all(key.open(sealed, b"ctx") == "shared" for key in keys)
    with engine.connect() as conn:
        rows = conn.scalars(sa.select(data_keys.c.dek_id).where(data_keys.c.owner_id == owner))
        assert rows.all() == [keys[0].dek_id]
