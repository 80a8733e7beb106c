"""The transactions projection: a page of events folded into the rows of the transactions list.

Set-based: one ``TransactionStore.load`` for every transaction the page touches that it did not
record itself, then an in-memory fold, then one ``TransactionChanges`` the writer applies with a
bounded number of statements. Deleted transactions keep their row (flagged, for history and
restore) and leave the lists; the owners a page purges lose every row.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

from domain.transaction import Transaction
from projections.envelope import Envelope
from projections.purge import purged_owners
from projections.text_protector import TextProtector, field_context
from projections.transaction_state import (
    SEARCHABLE_FIELDS,
    SPLIT_TABLE,
    TABLE,
    TEXT_FIELDS,
    SplitLineState,
    TransactionState,
)

NAME = "transactions"


class TransactionStore(Protocol):
    def load(self, ids: Collection[UUID]) -> Mapping[UUID, TransactionState]:
        """The current rows of these transactions (those that have one), text still sealed."""


@dataclass(frozen=True, slots=True)
class TransactionChanges:
    purged: frozenset[UUID]  # owners whose rows all go
    existing: frozenset[UUID]  # upserted transactions that already had rows (replace them)
    upserts: tuple[TransactionState, ...]  # the new rows (and child rows) of these transactions
    # Blind-index tokens, id -> (owner, tokens): those the text gained, and those it lost (rows
    # that existed before the page). Deleted by their full key: the table needs no second index.
    terms_added: Mapping[UUID, tuple[UUID, frozenset[bytes]]]
    terms_removed: Mapping[UUID, tuple[UUID, frozenset[bytes]]]


def fold_transactions(
    page: Sequence[Envelope], store: TransactionStore, protector: TextProtector
) -> TransactionChanges:
    purged = purged_owners(page)
    events = [
        (e.position, e.event)
        for e in page
        if isinstance(e.event, Transaction.Event) and e.event.owner_id not in purged
    ]
    created = {ev.originator_id for _, ev in events if isinstance(ev, Transaction.Recorded)}
    wanted = {ev.originator_id for _, ev in events} - created
    loaded = store.load(wanted) if wanted else {}
    states: dict[UUID, TransactionState] = dict(loaded)
    for position, event in events:
        if isinstance(event, Transaction.Recorded):
            states[event.originator_id] = _recorded(event, position)
            continue
        state = states.get(event.originator_id)
        if state is None:
            continue  # a row purged or never projected: nothing to change
        state.position = position
        _apply(state, event)
    added: dict[UUID, tuple[UUID, frozenset[bytes]]] = {}
    removed: dict[UUID, tuple[UUID, frozenset[bytes]]] = {}
    for state in states.values():
        if state.pending:
            old, new = _reseal(state, protector)
            if new - old:
                added[state.id] = (state.owner_id, new - old)
            if old - new:
                removed[state.id] = (state.owner_id, old - new)
        for line_no, line in enumerate(state.splits):
            if line.memo_text is not None:
                context = _memo_context(state, line_no)
                line.memo, line.memo_text = (
                    protector.seal(state.owner_id, line.memo_text, context),
                    None,
                )
    return TransactionChanges(purged, frozenset(loaded), tuple(states.values()), added, removed)


def _recorded(event: Transaction.Recorded, position: int) -> TransactionState:
    return TransactionState(
        id=event.originator_id,
        owner_id=event.owner_id,
        account_id=event.account_id,
        amount=event.amount,
        currency=event.currency,
        booked_on=event.booked_on,
        value_date=event.value_date,
        category_id=event.category_id,
        source=event.source,
        deleted=False,
        position=position,
        tags=tuple(event.tags),
        pending={name: getattr(event, name) for name in TEXT_FIELDS},
    )


def _apply(state: TransactionState, event: Transaction.Event) -> None:
    match event:
        case Transaction.Amended(changes=changes):
            _amend(state, changes)
        case Transaction.Categorised(category_id=category_id):
            state.category_id = category_id
        case Transaction.Uncategorised():
            state.category_id = None
        case Transaction.Tagged(tag=tag):
            if tag not in state.tags:
                state.tags = (*state.tags, tag)
        case Transaction.Untagged(tag=tag):
            state.tags = tuple(t for t in state.tags if t != tag)
        case Transaction.Split(lines=lines):
            state.splits = tuple(
                SplitLineState(line["category_id"], line["amount"], b"", line["memo"])
                for line in lines
            )
        case Transaction.SplitCleared():
            state.splits = ()
        case Transaction.Deleted():
            state.deleted = True
        case Transaction.Restored():
            state.deleted = False


def _amend(state: TransactionState, changes: Mapping[str, Any]) -> None:
    for name, value in changes.items():
        if name in TEXT_FIELDS:
            state.pending[name] = value
        elif name in ("amount", "booked_on", "value_date"):
            setattr(state, name, value)


def _reseal(
    state: TransactionState, protector: TextProtector
) -> tuple[frozenset[bytes], frozenset[bytes]]:
    """Seal the changed fields; return the blind-index tokens of the searchable text before (of
    the stored row; none for a row new in this page) and after."""
    before: dict[str, str | None] = {}
    after: dict[str, str | None] = {}
    for name in SEARCHABLE_FIELDS:
        if (blob := state.sealed.get(name)) is not None:
            before[name] = protector.open(state.owner_id, blob, _context(state, name))
        after[name] = state.pending[name] if name in state.pending else before.get(name)
    for name, value in state.pending.items():
        state.sealed[name] = (
            None if value is None else protector.seal(state.owner_id, value, _context(state, name))
        )
    state.pending = {}
    return _tokens(state, protector, before), _tokens(state, protector, after)


def _tokens(
    state: TransactionState, protector: TextProtector, plain: Mapping[str, str | None]
) -> frozenset[bytes]:
    text = " ".join(v for name in SEARCHABLE_FIELDS if (v := plain.get(name)))
    return frozenset(protector.terms(state.owner_id, text)) if text else frozenset()


def _context(state: TransactionState, name: str) -> bytes:
    return field_context(TABLE, name, state.id.bytes)


def _memo_context(state: TransactionState, line_no: int) -> bytes:
    return field_context(SPLIT_TABLE, "memo", state.id.bytes + line_no.to_bytes(8, "big"))
