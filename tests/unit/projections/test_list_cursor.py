"""Keyset cursors are opaque, signed and bound to their sort order."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from adapters.readmodel.cursor import CursorCodec
from projections.errors import InvalidQuery
from projections.transaction_views import TransactionSort

CODEC = CursorCodec(b"k" * 32)


def test_a_cursor_round_trips_its_sort_value_and_id() -> None:
    id_ = uuid4()
    for sort, value in (
        (TransactionSort.BOOKED_DESC, date(2024, 3, 1)),
        (TransactionSort.AMOUNT_ASC, -1234),
    ):
        assert CODEC.decode(CODEC.encode(sort, value, id_), sort) == (value, id_)


@pytest.mark.parametrize("cursor", ["", "x", "a.b.c", "€.€", "A" * 600])
def test_garbage_is_refused_as_an_invalid_cursor(cursor: str) -> None:
    with pytest.raises(InvalidQuery, match="cursor"):
        CODEC.decode(cursor, TransactionSort.BOOKED_DESC)


def test_a_tampered_or_foreign_cursor_is_refused() -> None:
    cursor = CODEC.encode(TransactionSort.AMOUNT_DESC, 5, uuid4())
    body, tag = cursor.split(".")
    with pytest.raises(InvalidQuery):
        CODEC.decode(f"{body[:-2]}AA.{tag}", TransactionSort.AMOUNT_DESC)
    with pytest.raises(InvalidQuery):
        CursorCodec(b"other" * 8).decode(cursor, TransactionSort.AMOUNT_DESC)
