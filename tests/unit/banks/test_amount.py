"""Amounts are exact Decimals from every way banks write them, and nothing else gets through."""

from __future__ import annotations

from decimal import Decimal

import pytest

from adapters.banks.amount import AmountError, infer_separators, parse_amount


@pytest.mark.parametrize(
    ("text", "decimal", "thousands", "expected"),
    [
        ("-1.234,56", ",", ".", "-1234.56"),
        ("1 234,56", ",", "", "1234.56"),
        ("1,234.56", ".", ",", "1234.56"),
        ("42,17-", ",", "", "-42.17"),
        ("(80.00)", ".", ",", "-80.00"),
        ("+12.5", ".", "", "12.5"),
        ("€ -3,80", ",", ".", "-3.80"),
        ("-3.80 EUR", ".", "", "-3.80"),
        ("\u22127.00", ".", "", "-7.00"),
        ("0.1", ".", "", "0.1"),
    ],
)
def test_amounts_are_read_exactly(text: str, decimal: str, thousands: str, expected: str) -> None:
    amount = parse_amount(text, decimal, thousands)

    assert amount == Decimal(expected)
    assert str(amount) == expected  # exact digits, no float round trip


@pytest.mark.parametrize("text", ["1e400", "NaN", "inf", "1.2.3", "12,50", "--1", "0x10", "1_000"])
def test_non_amounts_are_refused(text: str) -> None:
    with pytest.raises(AmountError):
        parse_amount(text, ".", "")


def test_separators_are_inferred_from_the_whole_column() -> None:
    assert infer_separators(["-1.234,56", "12,00"]) == (",", ".")
    assert infer_separators(["1,234.56", "-3.10"]) == (".", ",")


def test_a_column_of_only_ambiguous_thousands_gives_no_answer() -> None:
    assert infer_separators(["1,234", "5,000"]) == ("", "")
