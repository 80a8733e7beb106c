"""Account balances: the fold of a page of events into account rows and per-day balance deltas.

A transaction contributes its amount to its account on its booking day, unless deleted. An
amendment of the amount or the day, a deletion or a restore moves that contribution: the fold
subtracts the old one and adds the new one, so the balance as of any day is the opening balance
plus the sum of the deltas up to that day. The current state of transactions recorded before the
page comes from ``PostingLookup`` in one call per page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Protocol
from uuid import UUID

from domain.account import Account
from domain.transaction import Transaction
from projections.envelope import Envelope
from projections.minor_units import to_minor
from projections.purge import purged_owners

NAME = "balances"


@dataclass(frozen=True, slots=True)
class Posting:
    """What one transaction contributes to its account's balance."""

    owner_id: UUID
    account_id: UUID
    currency: str
    booked_on: date
    amount_minor: int
    deleted: bool


class PostingLookup(Protocol):
    """Port: the stored postings of these transactions (absent ids are simply missing)."""

    def postings(self, transaction_ids: Collection[UUID]) -> Mapping[UUID, Posting]: ...


@dataclass(frozen=True, slots=True)
class OpenedAccount:
    id: UUID
    owner_id: UUID
    name: str
    kind: str
    currency: str
    opening_minor: int
    opened_on: date


@dataclass(slots=True)
class BalanceChanges:
    purged: frozenset[UUID]
    opened: list[OpenedAccount] = field(default_factory=list)
    renamed: dict[UUID, tuple[UUID, str]] = field(default_factory=dict)  # id -> (owner, name)
    closed: dict[UUID, bool] = field(default_factory=dict)
    daily: dict[tuple[UUID, UUID, date], int] = field(default_factory=dict)  # owner, account, day
    balances: dict[tuple[UUID, UUID], int] = field(default_factory=dict)  # owner, account
    postings: dict[UUID, Posting] = field(default_factory=dict)  # final state of touched ones


_MOVES = (Transaction.Amended, Transaction.Deleted, Transaction.Restored)


def fold_balances(page: Sequence[Envelope], lookup: PostingLookup) -> BalanceChanges:
    purged = purged_owners(page)
    live = [e.event for e in page if getattr(e.event, "owner_id", None) not in purged]
    recorded = {e.originator_id for e in live if isinstance(e, Transaction.Recorded)}
    wanted = {e.originator_id for e in live if isinstance(e, _MOVES)} - recorded
    state: dict[UUID, Posting] = dict(lookup.postings(wanted)) if wanted else {}
    changes = BalanceChanges(purged)
    daily: defaultdict[tuple[UUID, UUID, date], int] = defaultdict(int)
    balances: defaultdict[tuple[UUID, UUID], int] = defaultdict(int)

    def move(old: Posting | None, new: Posting, tx_id: UUID) -> None:
        for posting, sign in ((old, -1), (new, 1)):
            if posting is not None and not posting.deleted:
                account = (posting.owner_id, posting.account_id)
                daily[(*account, posting.booked_on)] += sign * posting.amount_minor
                balances[account] += sign * posting.amount_minor
        state[tx_id] = new
        changes.postings[tx_id] = new

    for event in live:
        match event:
            case Account.Opened():
                changes.opened.append(_opened(event))
            case Account.Renamed():
                changes.renamed[event.originator_id] = (event.owner_id, event.name)
            case Account.Closed():
                changes.closed[event.originator_id] = True
            case Account.Reopened():
                changes.closed[event.originator_id] = False
            case Transaction.Recorded():
                move(None, _posting(event), event.originator_id)
            case Transaction.Amended() | Transaction.Deleted() | Transaction.Restored():
                old = state.get(event.originator_id)
                if old is not None:
                    move(old, _moved(old, event), event.originator_id)
    changes.daily = {k: v for k, v in daily.items() if v}
    changes.balances = {k: v for k, v in balances.items() if v}
    return changes


def _opened(event: Account.Opened) -> OpenedAccount:
    return OpenedAccount(
        id=event.originator_id,
        owner_id=event.owner_id,
        name=event.name,
        kind=event.kind,
        currency=event.currency,
        opening_minor=to_minor(event.opening_balance, event.currency),
        opened_on=event.opened_on,
    )


def _posting(event: Transaction.Recorded) -> Posting:
    return Posting(
        owner_id=event.owner_id,
        account_id=event.account_id,
        currency=event.currency,
        booked_on=event.booked_on,
        amount_minor=to_minor(event.amount, event.currency),
        deleted=False,
    )


def _moved(
    old: Posting, event: Transaction.Amended | Transaction.Deleted | Transaction.Restored
) -> Posting:
    if isinstance(event, Transaction.Deleted):
        return replace(old, deleted=True)
    if isinstance(event, Transaction.Restored):
        return replace(old, deleted=False)
    changes = event.changes
    new = old
    if "amount" in changes:
        new = replace(new, amount_minor=to_minor(changes["amount"], old.currency))
    if "booked_on" in changes:
        new = replace(new, booked_on=changes["booked_on"])
    return new
