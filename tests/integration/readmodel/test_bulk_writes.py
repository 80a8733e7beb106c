"""The hand-written multi-row statements store exactly what the driver would have stored.

``insert_rows`` renders MariaDB literals itself (a column at a time); ``add_to`` and
``replace_rows`` append the upsert clause. Every value kind a projection writes goes through a
real database on both dialects, including text built to break quoting.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from datetime import UTC, date, datetime
from uuid import uuid4

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from adapters.crypto.tables import UUIDBytes
from adapters.persistence.engine import create_sync_engine
from adapters.readmodel.accumulate import add_to, replace_rows
from adapters.readmodel.bulk import insert_rows

metadata = sa.MetaData()
sample = sa.Table(
    "bulk_sample",
    metadata,
    sa.Column("id", UUIDBytes(), primary_key=True),
    sa.Column("blob", sa.LargeBinary(), nullable=True),
    sa.Column("number", sa.BigInteger(), nullable=True),
    sa.Column("flag", sa.Boolean(), nullable=True),
    sa.Column("day", sa.Date(), nullable=True),
    sa.Column("at", sa.DateTime(), nullable=True),
    sa.Column("text", sa.Text(), nullable=True),
)
NASTY = "it's a \\'trap\\' \"quoted\" ; DROP TABLE x; -- \x00 naïve 日本 \U0001f600 \n\r\t%s %(x)s"


class Kind(enum.StrEnum):
    EXPENSE = "expense"


AT = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC).replace(tzinfo=None)  # stored naive UTC


@pytest.fixture
def engine(database_url: URL) -> Iterator[Engine]:
    engine = create_sync_engine(database_url)
    metadata.create_all(engine)
    yield engine
    metadata.drop_all(engine)
    engine.dispose()


def _all(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.select(sample).order_by(sample.c.number))]


def test_every_value_kind_round_trips(engine: Engine) -> None:
    a, b, c = uuid4(), uuid4(), uuid4()
    rows = [
        (a.bytes, b"\x00\x01'\\", 1, True, date(2024, 2, 29), AT, NASTY),
        (b.bytes, b"", 2, False, date(1, 1, 1), None, ""),
        (c.bytes, None, None, None, None, None, None),
    ]
    columns = ("id", "blob", "number", "flag", "day", "at", "text")
    with engine.begin() as conn:
        insert_rows(conn, sample, columns, rows)
    by_id = {r[0]: r[1:] for r in _all(engine)}
    assert by_id[a] == (
        rows[0][1],
        1,
        True,
        date(2024, 2, 29),
        AT,
        NASTY,
    )
    assert by_id[b] == (b"", 2, False, date(1, 1, 1), None, "")
    assert by_id[c] == (None, None, None, None, None, None)


def test_mixed_kinds_in_one_column_and_enums_store_their_value(engine: Engine) -> None:
    ids = [uuid4(), uuid4()]
    with engine.begin() as conn:
        rows = [(ids[0], 1, Kind.EXPENSE), (ids[1], 2, "plain")]
        insert_rows(conn, sample, ("id", "number", "text"), rows)
    assert [(r[0], r[6]) for r in _all(engine)] == [(ids[0], "expense"), (ids[1], "plain")]


def test_add_to_adds_and_replace_rows_overwrites_on_existing_keys(engine: Engine) -> None:
    first, second = uuid4(), uuid4()
    with engine.begin() as conn:
        add_to(conn, sample, [{"id": first, "number": 5, "text": "a"}], ["number"])
    with engine.begin() as conn:
        add_to(
            conn,
            sample,
            [{"id": first, "number": 7, "text": "kept"}, {"id": second, "number": 1, "text": "b"}],
            ["number"],
        )
    assert {r[0]: (r[2], r[6]) for r in _all(engine)} == {first: (12, "a"), second: (1, "b")}
    with engine.begin() as conn:
        replace_rows(conn, sample, [{"id": first, "number": 3, "text": NASTY}])
    assert {r[0]: (r[2], r[6]) for r in _all(engine)} == {first: (3, NASTY), second: (1, "b")}


def test_large_batches_are_cut_into_several_statements(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("adapters.readmodel.bulk.MAX_STATEMENT_BYTES", 200)
    ids = [uuid4() for _ in range(50)]
    statements: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with engine.begin() as conn:
        insert_rows(conn, sample, ("id", "number"), [(i.bytes, n) for n, i in enumerate(ids)])
    inserts = [s for s in statements if s.startswith("INSERT")]
    if engine.dialect.name == "sqlite":
        assert len(inserts) == 1  # one prepared statement, run for every row
    else:  # each statement's values stop at the first row past 200 bytes (a row is ~40)
        assert len(inserts) == 10
        assert max(len(s) for s in inserts) < 400
    assert [r[0] for r in _all(engine)] == ids
