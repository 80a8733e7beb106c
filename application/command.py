"""Run a command against the ledger: retry optimistic-concurrency conflicts, honour idempotency.

A command is a function that loads aggregates, calls their command methods and returns the ones to
save. If another writer saved one of them first, the save conflicts; we reload and re-run the
command a bounded number of times, then report a clear conflict. With an idempotency key the claim
is saved in the same transaction as the events, so a repeat appends nothing and gets the first
answer back.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from application.errors import ConcurrentModification, IdempotencyKeyReused
from application.idempotency import IdempotencyClaim, IdempotencyStore
from application.ledger import Ledger
from application.reads import AttemptReads, ReadCache

MAX_ATTEMPTS = 8


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a command returns: the log position it reached, and its answer (ids)."""

    position: int
    answer: dict[str, Any]
    replayed: bool = False


Command = Callable[[], Sequence[Aggregate]]
# Opens the infrastructure's unit of work for one attempt (e.g. one database connection).
Scope = Callable[[], AbstractContextManager[object]]


def request_hash(**fields: Any) -> bytes:
    """A stable digest of a command's input, to tell a genuine repeat from a reused key."""
    canonical = json.dumps(fields, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).digest()


class CommandRunner:
    def __init__(
        self,
        ledger: Ledger,
        idempotency: IdempotencyStore | None = None,
        scope: Scope = nullcontext,
        reads: ReadCache | None = None,
    ) -> None:
        self._ledger = ledger
        self._idempotency = idempotency
        self._scope = scope
        self.reads = reads or ReadCache(ledger)

    def run(
        self,
        command: Command,
        *,
        owner_id: UUID,
        answer: dict[str, Any],
        idempotency_key: str | None = None,
        fingerprint: Callable[[], bytes] = lambda: b"",
    ) -> Outcome:
        claim = None
        if idempotency_key is not None:
            claim = IdempotencyClaim(
                owner_id=owner_id,
                key=idempotency_key,
                request_hash=fingerprint(),  # only with a key: it costs a JSON encoding
                result=json.dumps(answer, default=str).encode(),
            )
        reads = AttemptReads()
        for attempt in range(MAX_ATTEMPTS):
            try:
                with self._scope(), self.reads.attempt() as reads:
                    # A repeat is answered before the command runs (it might refuse now); in the
                    # scope, the lookup shares the command's connection and transaction.
                    replay = self._replay(claim) if claim is not None and attempt == 0 else None
                    if replay is not None:
                        return replay
                    try:
                        changed = command()
                    except Exception:
                        if not reads.cached:
                            raise
                        self.reads.forget(reads.versions)  # refused on what may be stale:
                        continue  # ask again on fresh loads
                    required = {"requires": reads.versions} if reads.versions else {}
                    recordings = self._ledger.save(*changed, idempotency=claim, **required)
                self.reads.forget(a.id for a in changed)  # saved here: cached reads are stale
            except IntegrityError:
                self.reads.forget(reads.versions)  # one moved? the next attempt loads afresh
                if claim is not None and (replay := self._replay(claim)) is not None:
                    return replay
                time.sleep(random.uniform(0, 0.002 * 2**attempt))  # noqa: S311 - jitter only
                continue
            position = max((r.notification.id for r in recordings), default=0)
            return Outcome(position=position, answer=answer)
        raise ConcurrentModification(
            f"gave up after {MAX_ATTEMPTS} attempts: others kept changing the same records"
        )

    def _replay(self, claim: IdempotencyClaim) -> Outcome | None:
        if self._idempotency is None:
            return None
        stored = self._idempotency.find(claim.owner_id, claim.key)
        if stored is None:
            return None
        if stored.request_hash != claim.request_hash:
            raise IdempotencyKeyReused(
                "this Idempotency-Key was already used for a different request"
            )
        return Outcome(position=stored.position, answer=json.loads(stored.result), replayed=True)
