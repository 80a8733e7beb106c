"""The ports bank connections need: the connector (one per provider), where the secret lives,
how fetched lines become transactions, and the due-list the periodic sweep reads.

A connector is synchronous (the sync runs in a worker thread) and treats the provider as hostile:
it raises ``NeedsReauthentication`` when only the user can fix things (expired consent, refused
credentials), ``ProviderUnavailable`` for anything worth retrying later (timeouts, 5xx, 429 —
with ``retry_after`` when the provider said how long), and ``MalformedResponse`` when the answer
cannot be trusted (bad JSON, wrong shape, oversized): nothing from such a response is recorded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from uuid import UUID

from application.statement import StatementLine
from domain.actor import Actor

Credentials = Mapping[str, str]


class ConnectorError(Exception):
    """A sync could not complete; ``reason`` is safe to show the user (no secrets in it)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NeedsReauthentication(ConnectorError):  # noqa: N818 - named for what it means
    """Consent expired or credentials refused: retrying cannot help until the user acts."""


class ProviderUnavailable(ConnectorError):  # noqa: N818 - named for what it means
    """Temporary: network, timeouts, 5xx, rate limits. ``retry_after`` in seconds if known."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class MalformedResponse(ConnectorError):  # noqa: N818 - named for what it means
    """The provider's answer is not what its specification promises."""


@dataclass(frozen=True, slots=True)
class RemoteAccount:
    id: str  # the provider's account id
    name: str
    currency: str | None
    iban: str | None = None


@dataclass(frozen=True, slots=True)
class Enrolment:
    """What enrolling with a provider gave back: the secret to seal, and where the user consents
    (GoCardless: the requisition link) when the provider needs that first."""

    credentials: dict[str, str]
    authorisation_link: str | None = None


class BankConnector(Protocol):
    def accounts(self) -> Sequence[RemoteAccount]:
        """The accounts the user allowed us to see; ``NeedsReauthentication`` before consent."""
        ...

    def lines(self, remote_account_id: str, since: date) -> Sequence[StatementLine]:
        """Booked and pending lines (``pending=True``) from ``since`` until today."""
        ...

    def credentials(self) -> dict[str, str]:
        """The secret as it is now (a connector may refresh tokens while it works)."""
        ...

    def close(self) -> None:
        """Release the connector's HTTP client."""
        ...


class ConnectorFactory(Protocol):
    providers: frozenset[str]

    def enrol(self, provider: str, setup: Credentials, *, owner_id: UUID) -> Enrolment:
        """Turn what the user typed (a setup token, API keys) into credentials to keep."""
        ...

    def connect(self, provider: str, credentials: Credentials) -> BankConnector: ...


class CredentialVault(Protocol):
    """Secrets sealed under the owner's key, outside the event log."""

    def put(self, owner_id: UUID, ref: UUID, credentials: Credentials) -> None: ...

    def get(self, owner_id: UUID, ref: UUID) -> dict[str, str]: ...

    def delete(self, owner_id: UUID, ref: UUID) -> None: ...


@dataclass(frozen=True, slots=True)
class Ingested:
    new: int
    duplicate: int
    transaction_ids: tuple[UUID, ...]  # one per line given, in order (new or existing)


class LineIngest(Protocol):
    """How fetched lines become transactions: de-duplicated by deterministic ids."""

    def existing(
        self, owner_id: UUID, account_id: UUID, lines: Sequence[StatementLine]
    ) -> tuple[bool, ...]:
        """For each line: is it already recorded?"""
        ...

    def ingest(
        self,
        owner_id: UUID,
        account_id: UUID,
        batch_id: UUID,
        lines: Sequence[StatementLine],
        actor: Actor,
    ) -> Ingested: ...

    def keep(self, owner_id: UUID, batch_id: UUID, lines: Sequence[StatementLine]) -> None:
        """Keep the lines' records as the bank sent them (``raw``), sealed, with the batch: a
        sync's provenance, as the uploaded file is a statement import's."""
        ...


class SyncSchedule(Protocol):
    """Which connections are due: kept next to the log so the sweep needs no aggregate scan."""

    def set_due(self, connection_id: UUID, owner_id: UUID, due_at: datetime | None) -> None: ...

    def due(self, now: datetime, limit: int) -> list[tuple[UUID, UUID]]:
        """(connection id, owner id) of connections due at ``now``, most overdue first."""
        ...

    def owned_by(self, owner_id: UUID) -> list[UUID]: ...
