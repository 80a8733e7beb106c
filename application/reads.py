"""Aggregates a command reads but does not change, kept between commands and checked at append.

Recording a transaction reads its account (whose it is, its currency, whether it is open) and
its category. Loading them costs a query and a decryption per command, a quarter of a recorded
transaction's CPU in the server (profiled). Inside a command's attempt (``attempt``) they come
from this cache, and the version each one was read at goes with the attempt's append as a
requirement (``requires``), which the event store checks in the append's transaction under the
writer lock. If one has moved, the append fails as a conflict; the runner forgets what the
attempt read and runs the command again on fresh loads. A command refused on cached reads (an
account that was closed, and may have been reopened since) is run again on fresh loads too
before the refusal stands. So a cached read is never acted on stale: stricter than a fresh
load, after which a concurrent close could still slip in before the append.

The owner's User aggregate is required along with each cached aggregate: erasing a user records
an event of theirs before destroying their keys, so a cached record of an erased owner fails its
append and the retry finds it gone. Cached aggregates are shared between threads: a command must
only read them. Entries expire after ``ttl`` so that the decrypted state of an owner who was
since erased does not linger in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from application.ledger import Ledger
from application.ttl_cache import TTLCache

CACHED = 4096
TTL_S = 60.0


@dataclass
class AttemptReads:
    """What one attempt of a command read through the cache."""

    versions: dict[UUID, int] = field(default_factory=dict)  # the append's requirements
    cached: bool = False  # some came from the cache, not from the store


# The reads of the attempt running in this context (None: not in an attempt).
_attempt: ContextVar[AttemptReads | None] = ContextVar("fintrack_reads", default=None)


class ReadCache:
    def __init__(self, ledger: Ledger, *, maxsize: int = CACHED, ttl: float = TTL_S) -> None:
        self._ledger = ledger
        self._entries: TTLCache[UUID, Aggregate] = TTLCache(maxsize, ttl)

    def get(self, id: UUID) -> object:
        """The aggregate, cached within an attempt (its version, and its owner's, become
        requirements of the attempt's append); outside one, loaded fresh as
        ``ledger.repository.get`` would."""
        reads = _attempt.get()
        if reads is None:
            return self._ledger.repository.get(id)
        aggregate = self._cached(id, reads)
        owner_id = getattr(aggregate, "owner_id", None)
        # Erasing a user is an event of theirs before their keys go: requiring the owner's
        # version too means nothing cached of an erased owner is ever acted on.
        if (
            isinstance(owner_id, UUID)
            and owner_id != id
            and not self._owner_current(owner_id, reads)
        ):
            self.forget([id, owner_id])
            return self._ledger.repository.get(id)
        return aggregate

    def _owner_current(self, owner_id: UUID, reads: AttemptReads) -> bool:
        try:
            return isinstance(self._cached(owner_id, reads), Aggregate)  # not a tombstone
        except AggregateNotFoundError:
            return True  # no user record (e.g. the system's): none to erase, nothing to require

    def _cached(self, id: UUID, reads: AttemptReads) -> object:
        aggregate = self._entries.get(id)
        if aggregate is not None:
            reads.cached = True
        else:
            aggregate = self._ledger.repository.get(id)
            if not isinstance(aggregate, Aggregate):
                return aggregate  # a tombstone: never cached, required or acted on
            self._entries.put(id, aggregate)
        reads.versions[id] = aggregate.version
        return aggregate

    @contextmanager
    def attempt(self) -> Iterator[AttemptReads]:
        """One attempt of a command: what it reads, whose versions its append requires."""
        reads = AttemptReads()
        token = _attempt.set(reads)
        try:
            yield reads
        finally:
            _attempt.reset(token)

    def forget(self, ids: Iterable[UUID]) -> None:
        for id in ids:
            self._entries.discard(id)
