"""Splitting a transaction's amount across categories (one receipt: groceries and household)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from domain.errors import SplitDoesNotBalance
from domain.money import Money
from domain.text import NAME_MAX_LENGTH, clean_text

if TYPE_CHECKING:
    from domain.category import Category


@dataclass(frozen=True, slots=True)
class SplitLine:
    """A line as the command gives it; the whole category lets the transaction check its owner."""

    category: Category
    amount: Money
    memo: str = ""


@dataclass(frozen=True, slots=True)
class Allocation:
    """A line of a recorded split: part of the transaction's amount, given to one category."""

    category_id: UUID
    amount: Money
    memo: str


def allocate(total: Money, lines: Sequence[SplitLine]) -> tuple[Allocation, ...]:
    """The lines as allocations of ``total``; ``SplitDoesNotBalance`` unless they add up to it."""
    if not lines:
        raise SplitDoesNotBalance("a split needs at least one line")
    if any(line.amount.currency != total.currency for line in lines):
        raise SplitDoesNotBalance(f"every line of the split must be in {total.currency}")
    allocated = sum((line.amount for line in lines), Money.zero(total.currency))
    if allocated != total:
        raise SplitDoesNotBalance(f"the lines add up to {allocated}, not {total}")
    return tuple(
        Allocation(
            category_id=line.category.id,
            amount=line.amount,
            memo=clean_text(line.memo, field="memo", max_length=NAME_MAX_LENGTH),
        )
        for line in lines
    )
