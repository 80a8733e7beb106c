"""The mail a finished or failed import sends to its owner (once: see ``Imports.mark_reported``)."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from adapters.mail.templates import import_failed, import_finished
from application.ledger import Ledger
from application.mailer import OutgoingMail
from application.users import Users
from domain.account import Account
from domain.errors import DomainError
from domain.import_batch import ImportBatch, ImportOrigin, ImportStatus


def import_mail(ledger: Ledger, users: Users, batch_id: UUID) -> OutgoingMail | None:
    """None when there is nothing to say (no such batch, not finished, the owner is gone)."""
    batch = _batch(ledger, batch_id)
    # Bank syncs run every few hours: they mail only when they need attention. A batch reported
    # already was mailed: this is a redelivered task.
    if batch is None or batch.origin != ImportOrigin.FILE.value or batch.reported:
        return None
    try:
        to = users.get(batch.owner_id).email
        account: object = ledger.repository.get(batch.account_id)
    except (AggregateNotFoundError, DomainError):
        return None
    name = account.name if isinstance(account, Account) else "your account"
    if batch.status is ImportStatus.DONE:
        return import_finished(
            to,
            name,
            lines_seen=batch.lines_seen,
            lines_new=batch.lines_new,
            lines_duplicate=batch.lines_duplicate,
            lines_failed=batch.lines_failed,
        )
    if batch.status is ImportStatus.FAILED:
        return import_failed(to, name, batch.reason or "unknown")
    return None


def _batch(ledger: Ledger, batch_id: UUID) -> ImportBatch | None:
    try:
        batch: object = ledger.repository.get(batch_id)
    except AggregateNotFoundError:
        return None
    return batch if isinstance(batch, ImportBatch) else None
