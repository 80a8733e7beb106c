"""Deterministic line ids: equal lines of one statement differ by ordinal, statements overlap."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from uuid import uuid4

from application.import_identity import fingerprints, line_ids
from application.statement import StatementLine

KEY = b"k" * 32
LINE = StatementLine(
    booked_on=date(2024, 1, 2), value_date=None, amount=Decimal("-4.50"), currency="EUR",
    payee="Bakery", counterparty_name="", counterparty_iban="", description="Bread",
    bank_reference=None, pending=False, raw="",
)  # fmt: skip


def test_two_identical_lines_get_two_ids() -> None:
    first, second = line_ids(KEY, uuid4(), [LINE, LINE])
    assert first != second


def test_an_overlapping_statement_maps_onto_the_same_ids() -> None:
    account = uuid4()
    other = replace(LINE, payee="Grocer")
    assert (
        line_ids(KEY, account, [LINE, LINE])[:2] == line_ids(KEY, account, [LINE, other, LINE])[::2]
    )


def test_ids_ignore_case_width_and_spacing_of_the_text_and_the_amount_scale() -> None:
    account = uuid4()
    reformatted = replace(LINE, payee="  BAKERY ", description="bread", amount=Decimal("-4.5"))
    assert line_ids(KEY, account, [LINE]) == line_ids(KEY, account, [reformatted])


def test_a_bank_reference_decides_the_id_whatever_the_content() -> None:
    account = uuid4()
    a = replace(LINE, bank_reference="R1")
    b = replace(LINE, bank_reference="R1", amount=Decimal("-5.50"))
    assert line_ids(KEY, account, [a]) == line_ids(KEY, account, [b])
    assert fingerprints(KEY, [a]) != fingerprints(KEY, [b])


def test_ids_depend_on_the_account_and_on_the_owners_key() -> None:
    account = uuid4()
    assert line_ids(KEY, account, [LINE]) != line_ids(KEY, uuid4(), [LINE])
    assert line_ids(KEY, account, [LINE]) != line_ids(b"x" * 32, account, [LINE])
