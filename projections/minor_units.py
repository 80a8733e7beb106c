"""Money as integer minor units in the query tables: exact sums in SQL, on MariaDB and SQLite.

SQLite stores ``NUMERIC`` as a float (stack-facts 0.10), so the read side keeps amounts as BIGINT
counts of the currency's minor unit (cents for EUR, hellers for CZK, yen for JPY).
"""

from __future__ import annotations

from decimal import Decimal

from domain.currency import minor_units
from domain.money import Money


def to_minor(amount: Decimal, currency: str) -> int:
    """``Decimal("-12.34")`` in EUR is ``-1234``; the domain already holds exact minor units."""
    return int(amount.scaleb(minor_units(currency)))


def from_minor(minor: int, currency: str) -> Money:
    """The ``Money`` of ``minor`` units. Exact by construction (an integer count of the minor
    unit, scaled by the currency's own exponent), so ``Money``'s checks are skipped: a 5-year
    daily series builds thousands of these per query."""
    money = object.__new__(Money)
    object.__setattr__(money, "amount", Decimal(minor).scaleb(-minor_units(currency)))
    object.__setattr__(money, "currency", currency)
    return money
