from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.currency import MINOR_UNITS
from domain.errors import (
    AmountOutOfRange,
    CurrencyMismatch,
    MalformedAmount,
    TooManyDecimals,
    UnknownCurrency,
)
from domain.money import Money


def test_parsing_reads_a_signed_decimal_string() -> None:
    assert Money.parse("-1234.5", "EUR") == Money(Decimal("-1234.50"), "EUR")


def test_an_amount_holds_exactly_its_currencys_minor_units() -> None:
    assert str(Money.parse("7", "KWD").amount) == "7.000"


def test_trailing_zeros_beyond_the_minor_unit_are_not_rounding() -> None:
    assert Money.parse("1.500", "EUR") == Money.parse("1.5", "EUR")


@pytest.mark.parametrize(
    "text",
    ["1e400", "1E2", "NaN", "-Infinity", "Infinity", "1,5", "1 000", "0x10", "", "--1", "1."],
)
def test_parsing_refuses_anything_but_plain_decimal_notation(text: str) -> None:
    with pytest.raises(MalformedAmount):
        Money.parse(text, "EUR")


def test_parsing_refuses_a_huge_string_without_reading_it() -> None:
    with pytest.raises(MalformedAmount):
        Money.parse("1" * 100_000, "EUR")


@pytest.mark.parametrize("text", ["1000000000000000", "-1000000000000000.00"])
def test_parsing_refuses_an_amount_of_10_to_the_15_or_more(text: str) -> None:
    with pytest.raises(AmountOutOfRange):
        Money.parse(text, "EUR")


def test_the_largest_amount_below_the_cap_is_accepted() -> None:
    assert Money.parse("999999999999999.99", "EUR").to_minor_units() == 99999999999999999


@pytest.mark.parametrize(
    ("text", "currency"), [("1.5", "JPY"), ("1.001", "EUR"), ("1.0001", "KWD")]
)
def test_parsing_refuses_more_decimals_than_the_currency_has(text: str, currency: str) -> None:
    with pytest.raises(TooManyDecimals):
        Money.parse(text, currency)


def test_parsing_refuses_an_unknown_currency() -> None:
    with pytest.raises(UnknownCurrency):
        Money.parse("1.00", "XXY")


@pytest.mark.parametrize("amount", [Decimal("NaN"), Decimal("Infinity"), Decimal("sNaN")])
def test_the_constructor_refuses_a_non_finite_amount(amount: Decimal) -> None:
    with pytest.raises(MalformedAmount):
        Money(amount, "EUR")


def test_the_constructor_refuses_an_absurd_magnitude() -> None:
    with pytest.raises(AmountOutOfRange):
        Money(Decimal("1e400"), "EUR")


def test_the_constructor_refuses_too_many_decimals() -> None:
    with pytest.raises(TooManyDecimals):
        Money(Decimal("0.001"), "EUR")


def test_the_constructor_refuses_a_float() -> None:
    with pytest.raises(TypeError):
        Money(0.1, "EUR")  # type: ignore[arg-type]


def test_quantize_rounds_a_tie_to_the_even_digit_by_default() -> None:
    assert Money.quantize(Decimal("0.125"), "EUR") == Money.parse("0.12", "EUR")


def test_quantize_uses_the_rounding_it_is_given() -> None:
    assert Money.quantize(Decimal("0.125"), "EUR", rounding=ROUND_HALF_UP) == Money.parse(
        "0.13", "EUR"
    )


def test_quantize_refuses_an_absurd_magnitude() -> None:
    with pytest.raises(AmountOutOfRange):
        Money.quantize(Decimal("1e400"), "EUR")


def test_adding_amounts_of_one_currency_adds_them() -> None:
    assert Money.parse("1.10", "EUR") + Money.parse("2.25", "EUR") == Money.parse("3.35", "EUR")


def test_subtracting_amounts_of_one_currency_subtracts_them() -> None:
    assert Money.parse("1.10", "EUR") - Money.parse("2.25", "EUR") == Money.parse("-1.15", "EUR")


def test_adding_amounts_of_two_currencies_is_refused() -> None:
    with pytest.raises(CurrencyMismatch):
        Money.parse("1", "EUR") + Money.parse("1", "USD")


def test_subtracting_amounts_of_two_currencies_is_refused() -> None:
    with pytest.raises(CurrencyMismatch):
        Money.parse("1", "EUR") - Money.parse("1", "USD")


@pytest.mark.parametrize(
    ("money", "minor"),
    [
        (Money.parse("12.34", "EUR"), 1234),
        (Money.parse("-5", "JPY"), -5),
        (Money.parse("1.234", "BHD"), 1234),
    ],
)
def test_minor_units_count_the_smallest_coins(money: Money, minor: int) -> None:
    assert money.to_minor_units() == minor


def test_equal_amounts_hash_alike() -> None:
    assert len({Money(Decimal("1.5"), "EUR"), Money(Decimal("1.50"), "EUR")}) == 1


def test_money_is_immutable() -> None:
    money = Money.parse("1", "EUR")
    with pytest.raises(AttributeError):
        money.amount = Decimal(2)  # type: ignore[misc]


@given(
    minor=st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1),
    currency=st.sampled_from(sorted(MINOR_UNITS)),
)
def test_minor_units_round_trip(minor: int, currency: str) -> None:
    money = Money.from_minor_units(minor, currency)
    assert Money.from_minor_units(money.to_minor_units(), currency) == money
    assert money.to_minor_units() == minor
