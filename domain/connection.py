"""Connection: a link to a bank through a provider, and the story of its syncs.

The secret (a SimpleFIN access URL, GoCardless tokens) never enters an event: the aggregate keeps
only ``credentials_ref``, the id under which the sealed secret is stored outside the log.

A sync either succeeds (``Synced``: the cursor moves on, pending lines opened, linked to their
booked version or dropped) or fails (``Failed``: when to try again). Failures back off
exponentially; a failure that needs the user (expired consent, revoked token) or that has gone on
for ``ATTENTION_AFTER`` attempts opens an incident (``NeedsAttention``), reported once. A
successful sync closes it.

Pending lines are tracked here so that their booked version is linked, not recorded twice:
``open_pending`` maps a pending key (the provider's id, or a fingerprint) to the transaction that
shows it; ``booked_links`` remembers for a while which booked reference went to which transaction,
so a re-fetched booked line is recognised.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.actor import Actor
from domain.base import OwnedAggregate
from domain.errors import RuleBroken
from domain.text import clean_name

MIN_INTERVAL = timedelta(minutes=15)
MAX_INTERVAL = timedelta(days=7)
DEFAULT_INTERVAL = timedelta(hours=6)
FIRST_RETRY = timedelta(minutes=5)
ATTENTION_AFTER = 5  # consecutive transient failures that open an incident
BOOKED_LINK_DAYS = 60  # how long a booked reference is remembered after its booking date


class ConnectionStatus(StrEnum):
    AWAITING_AUTHORISATION = "awaiting_authorisation"  # the user must consent at the bank
    ACTIVE = "active"
    FAILING = "failing"  # transient failures, retrying with backoff
    NEEDS_ATTENTION = "needs_attention"
    REMOVED = "removed"


class FailureKind(StrEnum):
    TRANSIENT = "transient"  # the bank or provider is down, slow, rate-limiting or garbled
    REAUTHENTICATE = "reauthenticate"  # consent expired or credentials refused: the user must act


class ConnectionRemoved(RuleBroken):
    def __init__(self, connection_id: UUID) -> None:
        super().__init__(f"connection {connection_id} is removed")
        self.connection_id = connection_id


class InvalidSyncInterval(RuleBroken):
    def __init__(self) -> None:
        super().__init__(
            f"the sync interval must be between {MIN_INTERVAL} and {MAX_INTERVAL} (h:mm:ss)"
        )
        self.field = "sync_interval_minutes"


class AccountAlreadyLinked(RuleBroken):
    def __init__(self, account_id: UUID) -> None:
        super().__init__(f"account {account_id} is already linked to another bank account")
        self.account_id = account_id


def backoff(attempt: int, jitter: float) -> timedelta:
    """Wait before retry ``attempt`` (1-based): 5 min doubling, capped at 6 h, plus up to
    ``jitter`` (0..1) of itself, so many failing connections do not retry in step."""
    base: timedelta = min(FIRST_RETRY * 2 ** (attempt - 1), DEFAULT_INTERVAL)
    return base + base * max(0.0, min(jitter, 1.0))


class Connection(OwnedAggregate):
    class Created(OwnedAggregate.Created):
        provider: str
        name: str
        credentials_ref: UUID
        interval_s: int
        authorised: bool
        authorisation_link: str | None

    class Authorised(OwnedAggregate.Event):
        pass

    class AccountLinked(OwnedAggregate.Event):
        remote_id: str
        account_id: UUID
        remote_name: str

    class Synced(OwnedAggregate.Event):
        at: datetime
        cursor: date
        lines_new: int
        lines_duplicate: int
        opened: tuple[dict[str, Any], ...]  # {key, account_id, transaction_id, on}
        booked: tuple[dict[str, Any], ...]  # {key, reference, transaction_id, on, how}
        dropped: tuple[str, ...]  # pending keys no longer reported and not booked

    class Failed(OwnedAggregate.Event):
        at: datetime
        kind: str
        reason: str
        attempt: int
        next_attempt_at: datetime | None

    class NeedsAttention(OwnedAggregate.Event):
        reason: str

    class IntervalChanged(OwnedAggregate.Event):
        interval_s: int

    class Removed(OwnedAggregate.Event):
        pass

    @classmethod
    def create(
        cls,
        *,
        id: UUID,
        owner_id: UUID,
        provider: str,
        name: str,
        credentials_ref: UUID,
        interval: timedelta = DEFAULT_INTERVAL,
        authorisation_link: str | None = None,
        actor: Actor,
    ) -> Connection:
        _check_interval(interval)
        return cls(
            id=id,
            owner_id=owner_id,
            provider=provider,
            name=clean_name(name),
            credentials_ref=credentials_ref,
            interval_s=int(interval.total_seconds()),
            authorised=authorisation_link is None,
            authorisation_link=authorisation_link,
            actor=str(actor),
        )

    # -- state read by the application ---------------------------------------------------------

    @property
    def status(self) -> ConnectionStatus:
        if self.removed:
            return ConnectionStatus.REMOVED
        if self.attention_reason is not None:
            return ConnectionStatus.NEEDS_ATTENTION
        if not self.authorised:
            return ConnectionStatus.AWAITING_AUTHORISATION
        if self.failures:
            return ConnectionStatus.FAILING
        return ConnectionStatus.ACTIVE

    @property
    def interval(self) -> timedelta:
        return timedelta(seconds=self.interval_s)

    def next_due(self, now: datetime) -> datetime | None:
        """When the periodic sweep should sync next; None when only the user can resume it."""
        if self.removed or not self.authorised:
            return None
        if self.failures:
            return self.next_attempt_at
        if self.last_synced_at is None:
            return now
        return self.last_synced_at + self.interval

    def account_for(self, remote_id: str) -> UUID | None:
        return self.links.get(remote_id, {}).get("account_id")

    # -- commands ------------------------------------------------------------------------------

    def authorise(self, *, actor: Actor) -> None:
        self._check_not_removed()
        if not self.authorised:
            self._authorised(actor=str(actor))

    def link_account(
        self, remote_id: str, account_id: UUID, remote_name: str, *, actor: Actor
    ) -> None:
        self._check_not_removed()
        for other_remote, link in self.links.items():
            if link["account_id"] == account_id and other_remote != remote_id:
                raise AccountAlreadyLinked(account_id)
        if self.account_for(remote_id) == account_id:
            return
        self._account_linked(
            remote_id=remote_id,
            account_id=account_id,
            remote_name=clean_name(remote_name or remote_id, field="remote_name"),
            actor=str(actor),
        )

    def change_interval(self, interval: timedelta, *, actor: Actor) -> None:
        self._check_not_removed()
        _check_interval(interval)
        if int(interval.total_seconds()) != self.interval_s:
            self._interval_changed(interval_s=int(interval.total_seconds()), actor=str(actor))

    def record_sync(
        self,
        *,
        at: datetime,
        cursor: date,
        lines_new: int,
        lines_duplicate: int,
        opened: tuple[dict[str, Any], ...] = (),
        booked: tuple[dict[str, Any], ...] = (),
        dropped: tuple[str, ...] = (),
        actor: Actor,
    ) -> None:
        self._check_not_removed()
        for key in dropped:
            if key not in self.open_pending:
                raise RuleBroken(f"pending line {key!r} is not open")
        self._synced(
            at=at,
            cursor=cursor,
            lines_new=lines_new,
            lines_duplicate=lines_duplicate,
            opened=opened,
            booked=booked,
            dropped=dropped,
            actor=str(actor),
        )

    def record_failure(
        self,
        *,
        at: datetime,
        kind: FailureKind,
        reason: str,
        jitter: float = 0.0,
        not_before: datetime | None = None,
        actor: Actor,
    ) -> bool:
        """Record a failed sync; True if this failure opened an incident (report it once)."""
        self._check_not_removed()
        attempt = self.failures + 1
        next_attempt: datetime | None = None
        if kind is FailureKind.TRANSIENT:
            next_attempt = at + backoff(attempt, jitter)
            if not_before is not None and not_before > next_attempt:
                next_attempt = not_before
        reason = reason.strip()[:500] or "unknown error"
        self._failed(
            at=at,
            kind=kind.value,
            reason=reason,
            attempt=attempt,
            next_attempt_at=next_attempt,
            actor=str(actor),
        )
        opens = self.attention_reason is None and (
            kind is FailureKind.REAUTHENTICATE or attempt >= ATTENTION_AFTER
        )
        if opens:
            self._needs_attention(reason=reason, actor=str(actor))
        return opens

    def remove(self, *, actor: Actor) -> None:
        self._check_not_removed()
        self._removed(actor=str(actor))

    def _check_not_removed(self) -> None:
        if self.removed:
            raise ConnectionRemoved(self.id)

    # -- events --------------------------------------------------------------------------------

    @event(Created)
    def __init__(
        self,
        *,
        id: UUID,
        owner_id: UUID,
        provider: str,
        name: str,
        credentials_ref: UUID,
        interval_s: int,
        authorised: bool,
        authorisation_link: str | None,
        actor: str,
    ) -> None:
        super().__init__(owner_id)
        self.authorisation_link = authorisation_link
        self.provider = provider
        self.name = name
        self.credentials_ref = credentials_ref
        self.interval_s = interval_s
        self.authorised = authorised
        self.removed = False
        self.links: dict[str, dict[str, Any]] = {}  # remote id -> {account_id, remote_name}
        self.cursor: date | None = None
        self.last_synced_at: datetime | None = None
        self.last_counts: dict[str, int] = {}
        self.failures = 0  # consecutive failed syncs
        self.last_failure: dict[str, Any] | None = None
        self.next_attempt_at: datetime | None = None
        self.attention_reason: str | None = None
        self.open_pending: dict[str, dict[str, Any]] = {}
        self.booked_links: dict[
            str, dict[str, Any]
        ] = {}  # booked reference -> {transaction_id, on}

    @event(Authorised)
    def _authorised(self, actor: str) -> None:
        self.authorised = True

    @event(AccountLinked)
    def _account_linked(
        self, remote_id: str, account_id: UUID, remote_name: str, actor: str
    ) -> None:
        self.links[remote_id] = {"account_id": account_id, "remote_name": remote_name}

    @event(Synced)
    def _synced(  # noqa: PLR0917 (the event's fields, passed by the library)
        self,
        at: datetime,
        cursor: date,
        lines_new: int,
        lines_duplicate: int,
        opened: tuple[dict[str, Any], ...],
        booked: tuple[dict[str, Any], ...],
        dropped: tuple[str, ...],
        actor: str,
    ) -> None:
        self.authorised = True
        self.cursor = cursor
        self.last_synced_at = at
        self.last_counts = {"new": lines_new, "duplicate": lines_duplicate}
        self.failures = 0
        self.next_attempt_at = None
        self.attention_reason = None
        for item in opened:
            self.open_pending[item["key"]] = {k: v for k, v in item.items() if k != "key"}
        for item in booked:
            self.open_pending.pop(item["key"], None)
            self.booked_links[item["reference"]] = {
                "transaction_id": item["transaction_id"],
                "on": item["on"],
            }
        for key in dropped:
            self.open_pending.pop(key, None)
        horizon = cursor - timedelta(days=BOOKED_LINK_DAYS)
        self.booked_links = {
            ref: link for ref, link in self.booked_links.items() if link["on"] >= horizon
        }

    @event(Failed)
    def _failed(  # noqa: PLR0917 (the event's fields, passed by the library)
        self,
        at: datetime,
        kind: str,
        reason: str,
        attempt: int,
        next_attempt_at: datetime | None,
        actor: str,
    ) -> None:
        self.failures = attempt
        self.last_failure = {"at": at, "kind": kind, "reason": reason}
        self.next_attempt_at = next_attempt_at

    @event(NeedsAttention)
    def _needs_attention(self, reason: str, actor: str) -> None:
        self.attention_reason = reason

    @event(IntervalChanged)
    def _interval_changed(self, interval_s: int, actor: str) -> None:
        self.interval_s = interval_s

    @event(Removed)
    def _removed(self, actor: str) -> None:
        self.removed = True
        self.open_pending = {}
        self.booked_links = {}


def _check_interval(interval: timedelta) -> None:
    if not MIN_INTERVAL <= interval <= MAX_INTERVAL:
        raise InvalidSyncInterval
