"""Deterministic line ids: equal lines of one statement differ by ordinal, statements overlap."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

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


def test_ids_and_fingerprints_never_change_for_the_same_input() -> None:
    """Known answers: stored transactions and fingerprints were derived with these; a change here
    would make every earlier statement import again as new lines."""
    account = UUID("6f1c1b2e-0000-4000-8000-000000000001")
    full_width = "\uff22\uff21\uff2b\uff25\uff32\uff39"  # BAKERY in full-width letters
    lines = [
        LINE,
        LINE,
        replace(LINE, payee=full_width, counterparty_name="Bakery  Ltd"),
        replace(LINE, bank_reference="R1", amount=Decimal("-5.50")),
    ]
    assert [str(i) for i in line_ids(KEY, account, lines)] == [
        "11f235ca-04f4-2128-8ac5-31a9ebb5f879",
        "33420084-6722-b767-6e3a-a5920c3469cc",
        "b3f40649-9ee0-3f68-ca5b-88a145a3f0d0",
        "327c9935-45d2-35aa-5eb9-9d3586a3a095",
    ]
    assert [f.hex() for f in fingerprints(KEY, lines)] == [
        "aeed01d4109a422d9d2e7bb987e70508",
        "aeed01d4109a422d9d2e7bb987e70508",
        "4781c5b79ac3ad85ff8876d1c970f0c4",
        "92cb79d6a260ec9111c9e9c148e7a6c5",
    ]
