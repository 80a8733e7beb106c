"""Money: a ``Decimal`` amount in an ISO 4217 currency. Never a float.

Every ``Money`` holds exactly its currency's minor units (``Money.of("1.5", "EUR")`` is 1.50 EUR),
so equal amounts print, hash and compare alike. Input is never rounded silently: more decimals than
the currency has is an error. Computed values (a rate times an amount, a share of a total) are
rounded explicitly with ``Money.quantize``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal

from domain.currency import minor_units
from domain.errors import (
    AmountOutOfRange,
    CurrencyMismatch,
    MalformedAmount,
    TooManyDecimals,
)

# Plain decimal notation only: no exponent, NaN, Infinity, thousands separators or commas.
_DECIMAL = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
_MAX_TEXT_LENGTH = 64  # far above any legal amount; refuses huge strings before parsing them
_LIMIT = Decimal(10) ** 15  # |amount| < 10^15 major units
# 15 integer digits plus at most 4 decimals fit easily; the exact context never rounds silently.
_CONTEXT = Context(prec=34)


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):  # a float or int slipped past the type checker
            raise TypeError(f"Money needs a Decimal amount, not {type(self.amount).__name__}")
        text = str(self.amount)
        if not self.amount.is_finite():
            raise MalformedAmount(text)
        if abs(self.amount) >= _LIMIT:
            raise AmountOutOfRange(text)
        unit = _minor_unit(self.currency)
        exact = self.amount.quantize(unit, context=_CONTEXT)
        if exact != self.amount:
            raise TooManyDecimals(text, self.currency, minor_units(self.currency))
        object.__setattr__(self, "amount", exact)

    @classmethod
    def parse(cls, text: str, currency: str) -> Money:
        """Read a plain decimal string such as ``"-1234.50"``; refuse anything else."""
        stripped = text.strip()
        if len(stripped) > _MAX_TEXT_LENGTH or not _DECIMAL.fullmatch(stripped):
            raise MalformedAmount(text[:_MAX_TEXT_LENGTH])
        return cls(Decimal(stripped), currency)

    @classmethod
    def quantize(cls, amount: Decimal, currency: str, *, rounding: str = ROUND_HALF_EVEN) -> Money:
        """Round a computed amount to the currency's minor unit.

        The default, half-to-even ("banker's rounding"), sends ties to the even digit, so across
        many roundings the errors cancel instead of drifting upwards as half-up's do. It is the
        IEEE 754 default and what accounting and FX systems use when summing rounded values.
        """
        if not amount.is_finite():
            raise MalformedAmount(str(amount))
        if abs(amount) >= _LIMIT:
            raise AmountOutOfRange(str(amount))
        unit = _minor_unit(currency)
        return cls(amount.quantize(unit, rounding=rounding, context=_CONTEXT), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    @classmethod
    def from_minor_units(cls, minor: int, currency: str) -> Money:
        return cls(Decimal(minor).scaleb(-minor_units(currency), _CONTEXT), currency)

    def to_minor_units(self) -> int:
        return int(self.amount.scaleb(minor_units(self.currency), _CONTEXT))

    def __add__(self, other: Money) -> Money:
        self._check_same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._check_same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    def _check_same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(expected=self.currency, actual=other.currency)


def _minor_unit(currency: str) -> Decimal:
    """The smallest amount of ``currency``, as ``quantize`` wants it: 0.01 for EUR, 1 for JPY."""
    return Decimal(1).scaleb(-minor_units(currency))
