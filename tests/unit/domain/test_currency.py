from __future__ import annotations

import pytest

from domain.currency import minor_units
from domain.errors import UnknownCurrency


@pytest.mark.parametrize(
    ("currency", "expected"),
    [("EUR", 2), ("USD", 2), ("JPY", 0), ("KWD", 3), ("BHD", 3), ("CLF", 4), ("HUF", 2)],
)
def test_minor_units_follow_iso_4217(currency: str, expected: int) -> None:
    assert minor_units(currency) == expected


@pytest.mark.parametrize("code", ["XXY", "eur", "HRK", "XAU", ""])
def test_a_code_outside_the_active_list_is_unknown(code: str) -> None:
    with pytest.raises(UnknownCurrency):
        minor_units(code)
