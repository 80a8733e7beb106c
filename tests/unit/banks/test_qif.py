"""QIF registers with the date styles Quicken and others write."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from adapters.banks.qif_parser import QifStatementParser
from application.statement import StatementRejected

PARSER = QifStatementParser()


def test_us_quicken_dates_with_apostrophe_years_are_read() -> None:
    data = b"""!Type:Bank
D1/ 2'24
T-1,234.56
PLANDLORD LLC
MRent January
N1042
^
D12/31'23
T2,000.00
PACME PAYROLL
^
"""
    parsed = PARSER.parse(data)

    rent, salary = parsed.lines
    assert (rent.booked_on, rent.amount, rent.payee) == (
        date(2024, 1, 2),
        Decimal("-1234.56"),
        "LANDLORD LLC",
    )
    assert (rent.description, rent.bank_reference) == ("Rent January", "1042")
    assert (salary.booked_on, salary.amount) == (date(2023, 12, 31), Decimal("2000.00"))


def test_european_dates_and_decimal_commas_are_read() -> None:
    data = "!Type:CCard\nD31.01.2024\nT-12,50\nPBäckerei\n^\nD01.02.2024\nT-3,10\nPKiosk\n^\n"

    parsed = PARSER.parse(data.encode("cp1252"))

    assert [(line.booked_on, line.amount, line.payee) for line in parsed.lines] == [
        (date(2024, 1, 31), Decimal("-12.50"), "Bäckerei"),
        (date(2024, 2, 1), Decimal("-3.10"), "Kiosk"),
    ]


def test_iso_dates_are_read() -> None:
    parsed = PARSER.parse(b"!Type:Bank\nD2024-03-05\nT-7.00\nPTRAIN\n^\n")

    assert parsed.lines[0].booked_on == date(2024, 3, 5)


def test_ambiguous_dates_across_the_file_are_refused() -> None:
    data = b"!Type:Bank\nD03/04/2024\nT-1.00\n^\nD05/06/2024\nT-2.00\n^\n"

    with pytest.raises(StatementRejected, match="ambiguous"):
        PARSER.parse(data)


def test_category_and_investment_sections_are_skipped() -> None:
    data = b"!Type:Cat\nNGroceries\n^\n!Type:Bank\nD2024-03-05\nT-7.00\nPTRAIN\n^\n"

    assert len(PARSER.parse(data).lines) == 1


def test_a_record_without_a_valid_amount_is_a_line_error() -> None:
    data = b"!Type:Bank\nD2024-03-05\nTNaN\nPX\n^\nD2024-03-06\nT-1.00\nPY\n^\n"

    parsed = PARSER.parse(data)

    assert [line.payee for line in parsed.lines] == ["Y"]
    assert [(e.line_no, e.reason) for e in parsed.errors] == [(2, "'NaN' is not a readable amount")]


def test_a_file_cut_inside_a_record_reports_it() -> None:
    data = b"!Type:Bank\nD2024-03-05\nT-7.00\nPTRAIN\n^\nD2024-03-06\nT-1"

    parsed = PARSER.parse(data)

    assert len(parsed.lines) == 1
    assert [(e.line_no, e.reason) for e in parsed.errors] == [
        (6, "the file ends inside a record (no closing '^')")
    ]
