"""The ledger: one eventsourcing Application holding every aggregate of every user.

Infrastructure (recorders over SQLAlchemy Core, the encrypting mapper) is injected by the
composition root as a function that builds the ``InfrastructureFactory`` from the application's
environment (which carries eventsourcing's settings, e.g. that snapshotting is on). Without one,
``PERSISTENCE_MODULE`` decides, which lets unit tests run on the in-memory POPO recorders.

Aggregates a command changes are never cached between commands: each load reads the store, in
one round trip where the recorder can. Those it only reads (the account a transaction is
recorded in) may come from ``application.reads``, whose every use is checked at the append.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, ClassVar, Protocol, runtime_checkable
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    ProcessingEvent,
    ProjectorFunction,
    Repository,
    project_aggregate,
)
from eventsourcing.domain import Aggregate, Snapshot
from eventsourcing.persistence import (
    InfrastructureFactory,
    JSONTranscoder,
    Recording,
    StoredEvent,
    Transcoding,
)
from eventsourcing.utils import Environment, EnvType

from domain.account import Account
from domain.category import Category
from domain.connection import Connection
from domain.transaction import Transaction
from domain.user import User


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class LedgerSnapshot(Snapshot):
    """A snapshot knows its owner: the mapper encrypts it under the owner's key like any event."""

    @property
    def owner_id(self) -> UUID:
        owner: UUID = self.state["owner_id"]
        return owner


class _ProcessingEvent(ProcessingEvent[UUID]):
    """Collects events from our aggregates with a plain class check. The library checks each
    object against two runtime ``Protocol``s, which on Python 3.11 cost 27 % of a 1000-aggregate
    save (profiled); anything that is not an ``Aggregate`` still takes the library's path."""

    def collect_events(self, *objs: Any, **kwargs: Any) -> None:
        others = []
        for obj in objs:
            if isinstance(obj, Aggregate):
                self.events.extend(obj.collect_events())
                self.aggregates[obj.id] = obj
            elif obj is not None:
                others.append(obj)
        super().collect_events(*others, **kwargs)


@runtime_checkable
class LatestStateRecorder(Protocol):
    """An event recorder that also reads the snapshot store: latest snapshot + later events."""

    def select_latest(
        self, originator_id: UUID
    ) -> tuple[StoredEvent | None, Iterable[StoredEvent]]: ...


class _LatestStateRepository(Repository[UUID]):
    """Loads the current version with one ``select_latest`` call instead of two queries (the
    snapshot, then the events after it). Historical versions take the library's path."""

    def __init__(self, *, recorder: LatestStateRecorder, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._recorder = recorder

    def _reconstruct_aggregate(
        self, aggregate_id: UUID, version: int | None, projector_func: ProjectorFunction[Any, Any]
    ) -> Any:
        if version is not None or self.snapshot_store is None:
            return super()._reconstruct_aggregate(aggregate_id, version, projector_func)
        snapshot, after = self._recorder.select_latest(aggregate_id)
        events = list(map(self.event_store.mapper.to_domain_event, after))
        if snapshot is not None:
            events.insert(0, self.snapshot_store.mapper.to_domain_event(snapshot))
        aggregate = (
            _fold(events) if projector_func is project_aggregate else projector_func(None, events)
        )
        if aggregate is None:
            raise AggregateNotFoundError(f"Aggregate {aggregate_id!r} not found.")
        return aggregate


def _fold(events: Iterable[Any]) -> Any:
    """``project_aggregate`` without its per-event ``isinstance`` check against a runtime
    ``Protocol`` (~12 µs an event on Python 3.11, more than decrypting the event)."""
    aggregate = None
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


class Ledger(Application[UUID]):
    name = "ledger"  # pinned: the name is part of stored metadata
    snapshot_class = LedgerSnapshot
    # Long-lived aggregates load from their latest snapshot plus at most 99 events.
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {
        Account: 100,
        Category: 100,
        Connection: 100,  # one Synced event per sync: long-lived
        Transaction: 100,
        User: 100,
    }

    def __init__(
        self,
        env: EnvType | None = None,
        *,
        infrastructure: Callable[[Environment], InfrastructureFactory] | None = None,
    ) -> None:
        self._infrastructure = infrastructure
        super().__init__(env)

    def construct_factory(self, env: Environment) -> InfrastructureFactory:
        if self._infrastructure is not None:
            return self._infrastructure(env)
        return super().construct_factory(env)

    def construct_repository(self) -> Repository[UUID]:
        recorder = self.events.recorder
        if self.snapshots is None or not isinstance(recorder, LatestStateRecorder):
            return Repository(event_store=self.events, snapshot_store=self.snapshots)
        return _LatestStateRepository(
            recorder=recorder, event_store=self.events, snapshot_store=self.snapshots
        )

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        # Application.save with a faster collector; eventsourcing is pinned (==9.5.6) because
        # this leans on its _record/_take_snapshots/_notify steps.
        processing_event = _ProcessingEvent()
        processing_event.collect_events(*objs, **kwargs)
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)
        return recordings

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
