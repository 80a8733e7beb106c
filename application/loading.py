"""Load an aggregate for a user: others' ids, erased records and wrong kinds are not found."""

from __future__ import annotations

from typing import TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from application.errors import RecordNotFound
from application.ledger import Ledger
from application.reads import ReadCache
from domain.base import OwnedAggregate

T = TypeVar("T", bound=OwnedAggregate)


def load_owned(
    ledger: Ledger, kind: type[T], id: UUID, owner_id: UUID, *, reads: ReadCache | None = None
) -> T:
    """``reads``: the command only reads this aggregate (see ``application.reads``)."""
    try:
        aggregate: object = reads.get(id) if reads is not None else ledger.repository.get(id)
    except AggregateNotFoundError:
        raise RecordNotFound(kind.__name__.lower(), id) from None
    # A tombstone folds to ``Erased``; an id of another aggregate type is just as unknown.
    if not isinstance(aggregate, kind) or aggregate.owner_id != owner_id:
        raise RecordNotFound(kind.__name__.lower(), id)
    return aggregate
