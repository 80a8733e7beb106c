"""Use cases for imports: request one (the event the relay follows), run it (the task), show its
status, revert it, and the CSV mapping remembered per account.

``ImportLines.ingest`` (``application.import_lines``) is the seam bank connections call too.
Running is idempotent: a finished batch is skipped, a running one (its worker died) resumes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID, uuid4, uuid5

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from application.command import CommandRunner, request_hash
from application.errors import RecordNotFound
from application.import_identity import line_ids
from application.import_lines import ImportLines, IngestResult
from application.import_mapping import mapping_from_dict, mapping_to_dict
from application.import_ports import (
    CsvMappings,
    ExistingTransactions,
    LineKeys,
    PayloadStore,
    StatementReader,
)
from application.ledger import Ledger
from application.loading import load_owned
from application.statement import (
    MAX_STATEMENT_BYTES,
    CsvMapping,
    LineError,
    StatementRejected,
)
from domain.account import Account
from domain.actor import Actor
from domain.errors import DomainError, RuleBroken
from domain.import_batch import ImportBatch, ImportOrigin, ImportStatus
from domain.transaction import Transaction

__all__ = [
    "ImportFileUnreadable",
    "ImportLines",
    "ImportView",
    "Imports",
    "IngestResult",
    "StatementTooLarge",
]

_FINAL = (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.REVERTED)
_SHOWN_ERRORS = 3

_IDEMPOTENT_BATCHES = UUID("5b0c6f3e-1f7d-4a55-9a0e-2d7c4b8e9f10")  # uuid5 namespace


class ImportFileUnreadable(RuleBroken):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)


class StatementTooLarge(RuleBroken):
    def __init__(self) -> None:
        super().__init__(f"statements larger than {MAX_STATEMENT_BYTES // 2**20} MiB are refused")


@dataclass(frozen=True, slots=True)
class ImportView:
    id: UUID
    account_id: UUID
    status: str
    format: str
    filename: str | None
    lines_seen: int
    lines_new: int
    lines_duplicate: int
    lines_failed: int
    lines_changed: int
    lines_reverted: int
    errors: tuple[LineError, ...]
    reason: str | None  # why it failed


class Imports:
    def __init__(
        self,
        ledger: Ledger,
        runner: CommandRunner,
        *,
        payloads: PayloadStore,
        reader: StatementReader,
        lines: ImportLines,
        mappings: CsvMappings,
        keys: LineKeys,
        existing: ExistingTransactions,
    ) -> None:
        self._ledger = ledger
        self._runner = runner
        self._payloads = payloads
        self._reader = reader
        self._lines = lines
        self._mappings = mappings
        self._keys = keys
        self._existing = existing

    # -- requesting -----------------------------------------------------------------------------

    def request(
        self,
        user_id: UUID,
        account_id: UUID,
        data: bytes,
        *,
        format: str = "auto",
        filename: str | None = None,
        mapping: CsvMapping | None = None,
        idempotency_key: str | None = None,
    ) -> UUID:
        """Record an import request (the relay enqueues it); the file is kept sealed first."""
        if len(data) > MAX_STATEMENT_BYTES:
            raise StatementTooLarge
        load_owned(self._ledger, Account, account_id, user_id)
        if mapping is not None:
            self._mappings.remember(user_id, account_id, mapping)
        else:
            mapping = self._mappings.remembered(user_id, account_id)
        digest = hashlib.sha256(data).hexdigest()
        import_format = (format or "auto").strip().lower()[:32]
        # A repeated key names the same batch, so its file is not stored twice.
        batch_id = (
            uuid4()
            if idempotency_key is None
            else uuid5(_IDEMPOTENT_BATCHES, f"{user_id}:{idempotency_key}")
        )
        # The file first: the relay must never see a request whose file is not there yet.
        self._payloads.put(user_id, batch_id, data)

        def command() -> list[ImportBatch]:
            return [
                ImportBatch.request(
                    id=batch_id,
                    owner_id=user_id,
                    account_id=account_id,
                    format=import_format,
                    digest=digest,
                    size=len(data),
                    origin=ImportOrigin.FILE,
                    filename=filename,
                    mapping=None if mapping is None else mapping_to_dict(mapping),
                    actor=Actor.user(user_id),
                )
            ]

        outcome = self._runner.run(
            command,
            owner_id=user_id,
            answer={"id": str(batch_id)},
            idempotency_key=idempotency_key,
            fingerprint=lambda: request_hash(
                op="request_import",
                account_id=account_id,
                digest=digest,
                format=import_format,
                filename=filename,
            ),
        )
        return UUID(outcome.answer["id"])

    # -- running (the task) ---------------------------------------------------------------------

    def run(self, batch_id: UUID) -> ImportView | None:
        """Carry out a requested import; idempotent. None if there is no such batch."""
        batch = self._load(batch_id)
        if batch is None:
            return None
        if batch.status in _FINAL:
            return _view(batch)
        if batch.start():
            try:
                self._ledger.save(batch)
            except IntegrityError:
                return self.run(batch_id)  # another worker moved it on: look again
        try:
            result = self._ingest(batch)
        except StatementRejected as rejected:
            reason = rejected.reason
            return self._finish(batch_id, lambda b: b.fail(reason))
        return self._finish(
            batch_id,
            lambda b: b.complete(
                lines_seen=result.lines_seen,
                lines_new=result.lines_new,
                lines_duplicate=result.lines_duplicate,
                lines_failed=result.lines_failed,
                lines_changed=result.lines_changed,
                errors=[{"line": e.line_no, "reason": e.reason} for e in result.errors],
            ),
        )

    def _ingest(self, batch: ImportBatch) -> IngestResult:
        data = self._payloads.get(batch.owner_id, batch.id)
        if data is None:
            raise StatementRejected("The uploaded file can no longer be read.")
        parsed = self._reader.read(
            data,
            format=batch.format,
            filename=batch.filename,
            mapping=None if batch.mapping is None else mapping_from_dict(batch.mapping),
        )
        del data
        if not parsed.lines:
            raise StatementRejected(_nothing_read(parsed.errors))
        try:
            result = self._lines.ingest(
                batch.owner_id, batch.account_id, batch.id, parsed.lines, actor=batch.actor
            )
        except DomainError as error:  # the account is gone or closed
            raise StatementRejected(f"The import cannot be recorded: {error}") from None
        errors = (*parsed.errors, *result.errors)
        if result.lines_new + result.lines_duplicate + result.lines_changed == 0:
            raise StatementRejected(_nothing_read(errors))
        return IngestResult(
            lines_seen=result.lines_seen + len(parsed.errors),
            lines_new=result.lines_new,
            lines_duplicate=result.lines_duplicate,
            lines_changed=result.lines_changed,
            lines_failed=result.lines_failed + len(parsed.errors),
            errors=errors,
            new_ids=result.new_ids,
        )

    def _finish(self, batch_id: UUID, change: Callable[[ImportBatch], None]) -> ImportView | None:
        def finish(batch: ImportBatch) -> bool:
            if batch.status in _FINAL:
                return False
            change(batch)
            return True

        batch = self._update(batch_id, finish)
        return None if batch is None else _view(batch)

    def mark_reported(self, batch_id: UUID) -> None:
        """Record that the owner was mailed the outcome (a redelivered mail task then skips)."""

        def report(batch: ImportBatch) -> bool:
            if batch.reported:
                return False
            batch.mark_reported()
            return True

        self._update(batch_id, report)

    def _update(self, batch_id: UUID, change: Callable[[ImportBatch], bool]) -> ImportBatch | None:
        """Load, change and save the batch, again if another worker saved it meanwhile;
        ``change`` returns False when there is nothing to do. None: no such batch (or it kept
        moving under us)."""
        for _ in range(5):
            batch = self._load(batch_id)
            if batch is None or not change(batch):
                return batch
            try:
                self._ledger.save(batch)
            except IntegrityError:
                continue
            return batch
        return None

    # -- reading and reverting ------------------------------------------------------------------

    def status(self, user_id: UUID, batch_id: UUID) -> ImportView:
        return _view(load_owned(self._ledger, ImportBatch, batch_id, user_id))

    def revert(self, user_id: UUID, batch_id: UUID) -> ImportView:
        """Delete every transaction this batch recorded (and only those), then mark it reverted.

        The batch's lines are found again from its sealed file: their ids are deterministic, and
        a transaction is this batch's when its first event names the batch as its actor.
        """
        batch = load_owned(self._ledger, ImportBatch, batch_id, user_id)
        if batch.status is not ImportStatus.DONE:
            batch.revert(0, actor=Actor.user(user_id))  # raises the readable refusal
        data = self._payloads.get(user_id, batch_id)
        if data is None:
            raise ImportFileUnreadable("The uploaded file can no longer be read.")
        try:
            parsed = self._reader.read(
                data,
                format=batch.format,
                filename=batch.filename,
                mapping=None if batch.mapping is None else mapping_from_dict(batch.mapping),
            )
        except StatementRejected as rejected:
            raise ImportFileUnreadable(rejected.reason) from None
        ids = line_ids(self._keys.key_for(user_id), batch.account_id, parsed.lines)
        actor = str(batch.actor)
        by = Actor.user(user_id)
        reverted = 0
        for start in range(0, len(ids), 1000):
            originals = self._existing.originals(ids[start : start + 1000])
            mine = [i for i, original in originals.items() if original.actor == actor]
            doomed: list[Transaction] = []
            for transaction_id in mine:
                transaction: object = self._ledger.repository.get(transaction_id)
                if isinstance(transaction, Transaction) and not transaction.deleted:
                    transaction.delete(actor=by)
                    doomed.append(transaction)
            if doomed:
                self._ledger.save(*doomed)
                reverted += len(doomed)

        def command() -> list[ImportBatch]:
            current = load_owned(self._ledger, ImportBatch, batch_id, user_id)
            current.revert(reverted, actor=by)
            return [current]

        self._runner.run(command, owner_id=user_id, answer={"id": str(batch_id)})
        return self.status(user_id, batch_id)

    # -- CSV mappings ---------------------------------------------------------------------------

    def csv_mapping(
        self, user_id: UUID, account_id: UUID, *, from_import: UUID | None = None
    ) -> tuple[CsvMapping | None, bool]:
        """(mapping, remembered): the account's confirmed mapping, else a suggestion read from
        the file of ``from_import`` (an import of this account), else (None, False)."""
        load_owned(self._ledger, Account, account_id, user_id)
        remembered = self._mappings.remembered(user_id, account_id)
        if remembered is not None:
            return remembered, True
        if from_import is None:
            return None, False
        batch = load_owned(self._ledger, ImportBatch, from_import, user_id)
        if batch.account_id != account_id:
            raise RecordNotFound("importbatch", from_import)
        data = self._payloads.get(user_id, from_import)
        if data is None:
            return None, False
        try:
            return self._reader.suggest_mapping(data), False
        except StatementRejected as rejected:
            raise ImportFileUnreadable(rejected.reason) from None

    def confirm_csv_mapping(self, user_id: UUID, account_id: UUID, mapping: CsvMapping) -> None:
        load_owned(self._ledger, Account, account_id, user_id)
        self._mappings.remember(user_id, account_id, mapping)

    def _load(self, batch_id: UUID) -> ImportBatch | None:
        try:
            batch: object = self._ledger.repository.get(batch_id)
        except AggregateNotFoundError:
            return None
        return batch if isinstance(batch, ImportBatch) else None


def _view(batch: ImportBatch) -> ImportView:
    return ImportView(
        id=batch.id,
        account_id=batch.account_id,
        status=batch.status.value,
        format=batch.format,
        filename=batch.filename,
        lines_seen=batch.lines_seen,
        lines_new=batch.lines_new,
        lines_duplicate=batch.lines_duplicate,
        lines_failed=batch.lines_failed,
        lines_changed=batch.lines_changed,
        lines_reverted=batch.lines_reverted,
        errors=tuple(LineError(int(e["line"]), str(e["reason"])) for e in batch.errors),
        reason=batch.reason,
    )


def _nothing_read(errors: tuple[LineError, ...]) -> str:
    shown = "; ".join(f"line {e.line_no}: {e.reason}" for e in errors[:_SHOWN_ERRORS])
    more = f" (and {len(errors) - _SHOWN_ERRORS} more)" if len(errors) > _SHOWN_ERRORS else ""
    return f"No transaction could be read from the file. {shown}{more}".strip()
