"""ImportBatch: one statement file (or one bank sync) on its way into an account's ledger.

Requested → Started → Completed | Failed; a completed batch can be Reverted as a whole. The batch
holds no lines: its transactions carry its actor (``import:<batch id>``) and the sealed raw file is
kept beside it. Starting twice records nothing the second time (a redelivered task resumes).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.actor import Actor
from domain.base import OwnedAggregate
from domain.errors import RuleBroken

MAX_ERRORS = 100  # per-line errors kept on the batch; the counts stay exact beyond that
MAX_REASON = 1000


class ImportStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    REVERTED = "reverted"


class ImportOrigin(StrEnum):
    FILE = "file"
    CONNECTION = "connection"


class ImportNotRevertible(RuleBroken):
    def __init__(self, batch_id: UUID, status: str) -> None:
        super().__init__(f"import {batch_id} is {status}: only a finished import can be reverted")


class ImportNotRunning(RuleBroken):
    def __init__(self, batch_id: UUID, status: str) -> None:
        super().__init__(f"import {batch_id} is {status}, not running")


class ImportBatch(OwnedAggregate):
    class Requested(OwnedAggregate.Created):
        account_id: UUID
        format: str
        digest: str  # SHA-256 of the file, hex
        size: int
        origin: str
        filename: str | None
        mapping: dict[str, Any] | None

    class Started(OwnedAggregate.Event):
        pass

    class Completed(OwnedAggregate.Event):
        lines_seen: int
        lines_new: int
        lines_duplicate: int
        lines_failed: int
        lines_changed: int
        errors: tuple[dict[str, Any], ...]  # {"line": int, "reason": str}, at most MAX_ERRORS

    class Failed(OwnedAggregate.Event):
        reason: str

    class Reverted(OwnedAggregate.Event):
        lines_reverted: int

    class Reported(OwnedAggregate.Event):
        """Its owner was mailed the outcome: a redelivered mail task does not mail again."""

    reported = False  # a class default: batches snapshotted before this event existed

    @classmethod
    def request(
        cls,
        *,
        id: UUID,
        owner_id: UUID,
        account_id: UUID,
        format: str,
        digest: str,
        size: int,
        origin: ImportOrigin = ImportOrigin.FILE,
        filename: str | None = None,
        mapping: Mapping[str, Any] | None = None,
        actor: Actor,
    ) -> ImportBatch:
        return cls(
            id=id,
            owner_id=owner_id,
            account_id=account_id,
            format=format,
            digest=digest,
            size=size,
            origin=origin.value,
            filename=None if filename is None else filename[:255],
            mapping=None if mapping is None else dict(mapping),
            actor=str(actor),
        )

    @property
    def actor(self) -> Actor:
        """Who the batch's transactions are recorded by."""
        return Actor.import_(self.id)

    def start(self) -> bool:
        """Mark the batch running; False (and nothing recorded) if it already was."""
        if self.status is ImportStatus.RUNNING:
            return False
        if self.status is not ImportStatus.QUEUED:
            raise ImportNotRunning(self.id, self.status.value)
        self._started(actor=str(Actor.system()))
        return True

    def complete(
        self,
        *,
        lines_seen: int,
        lines_new: int,
        lines_duplicate: int,
        lines_failed: int,
        lines_changed: int,
        errors: Sequence[Mapping[str, Any]],
    ) -> None:
        self._check_running()
        self._completed(
            lines_seen=lines_seen,
            lines_new=lines_new,
            lines_duplicate=lines_duplicate,
            lines_failed=lines_failed,
            lines_changed=lines_changed,
            errors=tuple(
                {"line": int(e["line"]), "reason": str(e["reason"])[:MAX_REASON]}
                for e in errors[:MAX_ERRORS]
            ),
            actor=str(Actor.system()),
        )

    def fail(self, reason: str) -> None:
        if self.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
            raise ImportNotRunning(self.id, self.status.value)
        self._failed(reason=reason.strip()[:MAX_REASON] or "unknown", actor=str(Actor.system()))

    def revert(self, lines_reverted: int, *, actor: Actor) -> None:
        if self.status is not ImportStatus.DONE:
            raise ImportNotRevertible(self.id, self.status.value)
        self._reverted(lines_reverted=lines_reverted, actor=str(actor))

    def mark_reported(self) -> None:
        if not self.reported:
            self._reported(actor=str(Actor.system()))

    @property
    def status(self) -> ImportStatus:
        return ImportStatus(self._status)

    def _check_running(self) -> None:
        if self.status is not ImportStatus.RUNNING:
            raise ImportNotRunning(self.id, self.status.value)

    @event(Requested)
    def __init__(
        self,
        *,
        id: UUID,
        owner_id: UUID,
        account_id: UUID,
        format: str,
        digest: str,
        size: int,
        origin: str,
        filename: str | None,
        mapping: dict[str, Any] | None,
        actor: str,
    ) -> None:
        super().__init__(owner_id)
        self.account_id = account_id
        self.format = format
        self.digest = digest
        self.size = size
        self.origin = origin
        self.filename = filename
        self.mapping = mapping
        self._status = ImportStatus.QUEUED.value
        self.lines_seen = self.lines_new = self.lines_duplicate = 0
        self.lines_failed = self.lines_changed = self.lines_reverted = 0
        self.errors: tuple[dict[str, Any], ...] = ()
        self.reason: str | None = None

    @event(Started)
    def _started(self, actor: str) -> None:
        self._status = ImportStatus.RUNNING.value

    @event(Completed)
    def _completed(  # noqa: PLR0917 (the event's fields, passed by the library)
        self,
        lines_seen: int,
        lines_new: int,
        lines_duplicate: int,
        lines_failed: int,
        lines_changed: int,
        errors: tuple[dict[str, Any], ...],
        actor: str,
    ) -> None:
        self._status = ImportStatus.DONE.value
        self.lines_seen = lines_seen
        self.lines_new = lines_new
        self.lines_duplicate = lines_duplicate
        self.lines_failed = lines_failed
        self.lines_changed = lines_changed
        self.errors = tuple(errors)

    @event(Failed)
    def _failed(self, reason: str, actor: str) -> None:
        self._status = ImportStatus.FAILED.value
        self.reason = reason

    @event(Reverted)
    def _reverted(self, lines_reverted: int, actor: str) -> None:
        self._status = ImportStatus.REVERTED.value
        self.lines_reverted = lines_reverted

    @event(Reported)
    def _reported(self, actor: str) -> None:
        self.reported = True
