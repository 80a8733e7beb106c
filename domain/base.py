"""The base of every fintrack aggregate: each event names its owner and its actor.

The encryption layer picks the user's key from ``event.owner_id`` and the audit history shows
``event.actor``, so neither may ever be missing. ``Event`` declares both as required fields; the
created event takes them from the aggregate's ``__init__``, and ``trigger_event`` adds ``owner_id``
to every later event, so a command passes only ``actor``. Aggregates declare their event classes
(``Created`` or ``Event`` subclasses), so projections can match on them with full types.

Aggregates here keep their rules apart from their events. A public command checks its arguments
and the aggregate's state, converts values (``Money`` to amount and currency, enums to strings,
``Actor`` to its string form) and calls a private ``@event`` method, which only changes state.
Guards therefore run once, before anything is recorded, and never during replay. State keeps the
events' plain values too, since a snapshot serialises ``__dict__``; properties rebuild ``Money`` and
enums from them.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, CanMutateAggregate


class OwnedAggregate(Aggregate):
    class Event(Aggregate.Event):
        owner_id: UUID
        actor: str

    class Created(Event, Aggregate.Created):
        pass

    def __init__(self, owner_id: UUID) -> None:
        self.owner_id = owner_id

    def trigger_event(self, event_class: type[CanMutateAggregate[UUID]], **kwargs: Any) -> None:
        super().trigger_event(event_class, owner_id=self.owner_id, **kwargs)
