"""The history projection: per transaction, what changed, when, and by which actor.

One row per transaction event, keyed by (transaction, position). The changed fields are personal
(payee, notes...), so they are stored as sealed JSON; the event's name, time and actor stay clear.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.transaction import Transaction
from projections.envelope import Envelope
from projections.purge import purged_owners
from projections.text_protector import TextProtector, field_context

NAME = "transaction_history"
TABLE = "rm_transaction_history"
_CLEAR = frozenset(
    {"originator_id", "originator_version", "originator_topic", "timestamp", "owner_id", "actor"}
)


@dataclass(frozen=True, slots=True)
class HistoryRow:
    transaction_id: UUID
    position: int
    owner_id: UUID
    at: datetime
    actor: str
    event: str  # the event's name: Recorded, Amended, Categorised...
    changes: bytes  # sealed JSON object of the fields the event set


@dataclass(frozen=True, slots=True)
class HistoryChanges:
    purged: frozenset[UUID]
    rows: tuple[HistoryRow, ...]


def fold_history(page: Sequence[Envelope], protector: TextProtector) -> HistoryChanges:
    purged = purged_owners(page)
    rows = tuple(
        HistoryRow(
            transaction_id=e.event.originator_id,
            position=e.position,
            owner_id=e.event.owner_id,
            at=e.event.timestamp,
            actor=e.event.actor,
            event=type(e.event).__name__,
            changes=protector.seal(
                e.event.owner_id,
                changes_json(e.event),
                changes_context(e.event.originator_id, e.position),
            ),
        )
        for e in page
        if isinstance(e.event, Transaction.Event) and e.event.owner_id not in purged
    )
    return HistoryChanges(purged, rows)


def changes_json(event: Transaction.Event) -> str:
    fields = {k: v for k, v in vars(event).items() if k not in _CLEAR}
    if isinstance(event, Transaction.Amended):
        fields = dict(event.changes)
    return json.dumps(fields, default=_plain, sort_keys=True, separators=(",", ":"))


def changes_from_json(text: str) -> Mapping[str, Any]:
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def changes_context(transaction_id: UUID, position: int) -> bytes:
    return field_context(TABLE, "changes", transaction_id.bytes + position.to_bytes(8, "big"))


def _plain(value: object) -> object:
    if isinstance(value, (UUID, Decimal, date)):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"cannot show {type(value).__name__} in a history entry")
