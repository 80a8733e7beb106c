"""The import pipeline's ``ImportLines`` behind the connections' ``LineIngest`` port.

Fetched lines get the same deterministic ids as statement files (``import_identity.line_ids``),
rules at import apply, and a line with a known id but changed content becomes a proposed change.
Source ``connection``; actor ``import:<sync batch id>``. The records of a sync's new lines are kept
sealed in the import payload store under the sync's batch id, like an uploaded statement file.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from application.connection_ports import Ingested, MalformedResponse
from application.import_identity import line_ids
from application.import_lines import ImportLines
from application.import_ports import ExistingTransactions, LineKeys, PayloadStore
from application.statement import StatementLine
from domain.actor import Actor
from domain.transaction import TransactionSource


class ImportLinesIngest:
    def __init__(
        self,
        lines: ImportLines,
        keys: LineKeys,
        existing: ExistingTransactions,
        payloads: PayloadStore,
    ) -> None:
        self._lines = lines
        self._keys = keys
        self._existing = existing
        self._payloads = payloads

    def _ids(self, owner_id: UUID, account_id: UUID, lines: Sequence[StatementLine]) -> list[UUID]:
        return line_ids(self._keys.key_for(owner_id), account_id, lines)

    def existing(
        self, owner_id: UUID, account_id: UUID, lines: Sequence[StatementLine]
    ) -> tuple[bool, ...]:
        ids = self._ids(owner_id, account_id, lines)
        found = self._existing.existing(ids)
        return tuple(id in found for id in ids)

    def ingest(
        self,
        owner_id: UUID,
        account_id: UUID,
        batch_id: UUID,
        lines: Sequence[StatementLine],
        actor: Actor,
    ) -> Ingested:
        if not lines:
            return Ingested(new=0, duplicate=0, transaction_ids=())
        result = self._lines.ingest(
            owner_id, account_id, batch_id, lines, actor=actor, source=TransactionSource.CONNECTION
        )
        if result.errors:
            raise LinesRefused(
                "; ".join(f"line {e.line_no}: {e.reason}" for e in result.errors[:3])
            )
        return Ingested(
            new=result.lines_new,
            duplicate=result.lines_duplicate + result.lines_changed,
            transaction_ids=tuple(self._ids(owner_id, account_id, lines)),
        )

    def keep(self, owner_id: UUID, batch_id: UUID, lines: Sequence[StatementLine]) -> None:
        if lines:  # one record per line, as JSON lines (the connectors' raw form)
            self._payloads.put(owner_id, batch_id, "\n".join(line.raw for line in lines).encode())


class LinesRefused(MalformedResponse):
    """Some fetched lines could not be recorded (the sync reports it as a failure)."""
