"""Category totals: the fold of a page into per-day sums by category, income and expense apart.

A transaction counts under its category (``None``: uncategorised), or, when split, each line under
its own category. Positive amounts are income, negative ones expense; each (owner, category, day,
currency, kind) keeps a sum and a count. Deleted transactions count nowhere; restoring one brings
its contribution back. An amendment, a (un)categorisation, a split or its clearing subtracts the
old contribution and adds the new one. The writer keeps the same sums per month too (a year's
report reads a few hundred rows); the roll-up of subcategories into their ancestors happens at
query time, through the closure table kept by ``category_tree``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Protocol
from uuid import UUID

from domain.transaction import Transaction
from projections.envelope import Envelope
from projections.minor_units import to_minor
from projections.purge import purged_owners

NAME = "category_totals"
INCOME = "income"
EXPENSE = "expense"


@dataclass(frozen=True, slots=True)
class Allotment:
    """How one transaction's amount is divided between categories, as last seen."""

    owner_id: UUID
    currency: str
    booked_on: date
    amount_minor: int
    category_id: UUID | None
    lines: tuple[tuple[UUID, int], ...]  # a split: (category, amount) per line; () when not split
    deleted: bool

    def contributions(self) -> list[tuple[UUID | None, int]]:
        if self.deleted:
            return []
        if self.lines:
            return list(self.lines)
        return [(self.category_id, self.amount_minor)]


class AllotmentLookup(Protocol):
    """Port: the stored allotments of these transactions (absent ids are simply missing)."""

    def allotments(self, transaction_ids: Collection[UUID]) -> Mapping[UUID, Allotment]: ...


TotalKey = tuple[UUID, UUID | None, date, str, str]  # owner, category, day, currency, kind


@dataclass(slots=True)
class TotalChanges:
    purged: frozenset[UUID]
    totals: dict[TotalKey, tuple[int, int]] = field(default_factory=dict)  # (amount, count) deltas
    allotments: dict[UUID, Allotment] = field(default_factory=dict)  # final state of touched ones


_CHANGES = (
    Transaction.Amended,
    Transaction.Categorised,
    Transaction.Uncategorised,
    Transaction.Split,
    Transaction.SplitCleared,
    Transaction.Deleted,
    Transaction.Restored,
)


def kind_of(amount_minor: int) -> str:
    return INCOME if amount_minor > 0 else EXPENSE


def fold_category_totals(page: Sequence[Envelope], lookup: AllotmentLookup) -> TotalChanges:
    purged = purged_owners(page)
    live = [e.event for e in page if getattr(e.event, "owner_id", None) not in purged]
    recorded = {e.originator_id for e in live if isinstance(e, Transaction.Recorded)}
    wanted = {e.originator_id for e in live if isinstance(e, _CHANGES)} - recorded
    state: dict[UUID, Allotment] = dict(lookup.allotments(wanted)) if wanted else {}
    changes = TotalChanges(purged)
    totals: defaultdict[TotalKey, list[int]] = defaultdict(lambda: [0, 0])

    def count(allotment: Allotment, sign: int) -> None:
        for category_id, amount in allotment.contributions():
            key = (allotment.owner_id, category_id, allotment.booked_on, allotment.currency)
            total = totals[(*key, kind_of(amount))]
            total[0] += sign * amount
            total[1] += sign

    for event in live:
        if isinstance(event, Transaction.Recorded):
            new = _recorded(event)
        elif isinstance(event, _CHANGES) and (old := state.get(event.originator_id)) is not None:
            count(old, -1)
            new = _changed(old, event)
        else:
            continue
        count(new, 1)
        state[event.originator_id] = changes.allotments[event.originator_id] = new
    changes.totals = {k: (v[0], v[1]) for k, v in totals.items() if v != [0, 0]}
    return changes


def _recorded(event: Transaction.Recorded) -> Allotment:
    return Allotment(
        owner_id=event.owner_id,
        currency=event.currency,
        booked_on=event.booked_on,
        amount_minor=to_minor(event.amount, event.currency),
        category_id=event.category_id,
        lines=(),
        deleted=False,
    )


def _changed(old: Allotment, event: Any) -> Allotment:  # noqa: PLR0911 - one case per event type
    match event:
        case Transaction.Amended(changes=changes):
            new = old
            if "amount" in changes:
                new = replace(new, amount_minor=to_minor(changes["amount"], old.currency))
            if "booked_on" in changes:
                new = replace(new, booked_on=changes["booked_on"])
            return new
        case Transaction.Categorised(category_id=category_id):
            return replace(old, category_id=category_id)
        case Transaction.Uncategorised():
            return replace(old, category_id=None)
        case Transaction.Split(lines=lines):
            split = tuple(
                (line["category_id"], to_minor(line["amount"], old.currency)) for line in lines
            )
            return replace(old, lines=split)
        case Transaction.SplitCleared():
            return replace(old, lines=())
        case Transaction.Deleted():
            return replace(old, deleted=True)
        case Transaction.Restored():
            return replace(old, deleted=False)
    return old
