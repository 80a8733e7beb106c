"""The imports' set-based existence check, on both databases: what it finds across chunks, with
and without a kept fingerprint; on MariaDB, whatever the server's own GROUP_CONCAT limit, and
an answer cut short all the same."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest
import sqlalchemy as sa

from adapters.imports import lines as lines_module
from adapters.imports.lines import SqlExistingTransactions
from adapters.imports.tables import import_line_fingerprints
from adapters.persistence.tables import events
from application.statement import CsvMapping
from tests.integration.imports.conftest import World

LINES = 1500  # more than one chunk of the check
MAPPING = CsvMapping(
    date_column="Date",
    amount_column="Amount",
    date_format="%Y-%m-%d",
    payee_column="Payee",
    reference_column="Ref",
)


def _statement(lines: int) -> bytes:
    rows = [f"2024-01-{1 + i % 28:02d},-{1 + i}.25,Shop {i % 7},R{i:05d}" for i in range(lines)]
    return ("Date,Amount,Payee,Ref\n" + "\n".join(rows) + "\n").encode()


def _recorded_ids(world: World) -> list[UUID]:
    query = sa.select(events.c.originator_id).where(
        events.c.topic == "domain.transaction:Transaction.Recorded"
    )
    with world.runtime.engine.connect() as conn:
        return [UUID(bytes=bytes(raw)) for raw in conn.scalars(query)]


def test_it_finds_every_recorded_line_with_its_batch_and_fingerprint(world: World) -> None:
    batch = world.import_file(world.account(), _statement(LINES), mapping=MAPPING)
    recorded = _recorded_ids(world)
    forgotten = set(recorded[::10])  # a run that died before keeping these fingerprints
    with world.runtime.engine.begin() as conn:
        conn.execute(
            sa.delete(import_line_fingerprints).where(
                import_line_fingerprints.c.transaction_id.in_([i.bytes for i in forgotten])
            )
        )
        kept = {
            UUID(bytes=bytes(transaction_id)): bytes(fingerprint)
            for transaction_id, fingerprint in conn.execute(
                sa.select(
                    import_line_fingerprints.c.transaction_id,
                    import_line_fingerprints.c.fingerprint,
                )
            )
        }
    assert len(kept) == LINES - len(forgotten)
    unknown = [uuid4() for _ in range(20)]
    asked = unknown[:10] + recorded + unknown[10:]

    found = SqlExistingTransactions(world.runtime.engine, world.runtime.ledger.mapper).existing(
        asked
    )

    assert len(recorded) == LINES
    assert set(found) == set(recorded)
    for transaction_id, known in found.items():
        if transaction_id in forgotten:
            assert (known.batch_id, known.fingerprint) == (None, None)
        else:
            assert known.batch_id == batch
            assert known.fingerprint == kept[transaction_id]


@pytest.mark.parametrize("database_url", ["mariadb"], indirect=True)
def test_a_packed_answer_cut_short_is_an_error_not_fewer_lines(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.import_file(world.account(), _statement(50), mapping=MAPPING)
    ids = [i.bytes for i in _recorded_ids(world)]
    with world.runtime.engine.connect() as conn:
        conn.exec_driver_sql("SET SESSION group_concat_max_len = 400")  # a server's own limit
        assert len(list(lines_module._packed_rows(conn, ids))) == 50
        monkeypatch.setattr(lines_module, "_RECORD_CHARS", 9)  # the chunk's limit miscounted
        with pytest.raises(RuntimeError, match="of 50 rows"):
            list(lines_module._packed_rows(conn, ids))
