"""Use cases for bank connections: create, link accounts, change, remove, show — and sync.

The port and its errors live in ``application.connection_ports``, the sync itself in
``application.connection_sync`` (``Connections`` inherits it), how a fetch is reconciled with
pending lines in ``application.connection_reconcile``.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from application.connection_ports import (
    BankConnector,
    ConnectorError,
    Enrolment,
    MalformedResponse,
    NeedsReauthentication,
    ProviderUnavailable,
    RemoteAccount,
)
from application.connection_sync import PENDING_TAG, ConnectionSync, SyncReport, utc_now
from application.errors import InvalidChoice, RecordNotFound
from application.loading import load_owned
from domain.account import Account
from domain.actor import Actor
from domain.connection import DEFAULT_INTERVAL, Connection, ConnectionStatus
from domain.errors import NotFound, RuleBroken

__all__ = [
    "PENDING_TAG",
    "BankConnector",
    "ConnectionView",
    "Connections",
    "ConnectorError",
    "MalformedResponse",
    "NeedsReauthentication",
    "ProviderUnavailable",
    "RemoteAccount",
    "SyncReport",
    "utc_now",
]


@dataclass(frozen=True, slots=True)
class LinkedAccountView:
    remote_id: str
    remote_name: str
    account_id: UUID


@dataclass(frozen=True, slots=True)
class ConnectionView:
    id: UUID
    provider: str
    name: str
    status: str
    sync_interval_minutes: int
    last_synced_at: datetime | None
    lines_new: int | None
    lines_duplicate: int | None
    next_sync_at: datetime | None
    failure_reason: str | None
    failure_kind: str | None
    failed_attempts: int
    attention_reason: str | None
    authorisation_link: str | None
    pending_open: int
    linked_accounts: tuple[LinkedAccountView, ...]


@dataclass(frozen=True, slots=True)
class CreatedConnection:
    id: UUID
    authorisation_link: str | None


class UnknownProvider(InvalidChoice):
    pass


class Connections(ConnectionSync):
    # -- commands from the user ----------------------------------------------------------------

    def create(
        self,
        owner_id: UUID,
        *,
        provider: str,
        name: str,
        setup: Mapping[str, str],
        interval: timedelta = DEFAULT_INTERVAL,
    ) -> CreatedConnection:
        if provider not in self._connectors.providers:
            raise UnknownProvider("provider", sorted(self._connectors.providers))
        connection_id, ref = uuid4(), uuid4()
        try:
            enrolment: Enrolment = self._connectors.enrol(provider, setup, owner_id=owner_id)
        except ConnectorError as error:
            raise EnrolmentFailed(error.reason) from None
        self._vault.put(owner_id, ref, enrolment.credentials)
        actor = Actor.user(owner_id)

        def command() -> list[Connection]:
            return [
                Connection.create(
                    id=connection_id,
                    owner_id=owner_id,
                    provider=provider,
                    name=name,
                    credentials_ref=ref,
                    interval=interval,
                    authorisation_link=enrolment.authorisation_link,
                    actor=actor,
                )
            ]

        try:
            self._runner.run(command, owner_id=owner_id, answer={"id": str(connection_id)})
        except BaseException:
            self._vault.delete(owner_id, ref)
            raise
        self._reschedule(self._load(owner_id, connection_id))
        return CreatedConnection(connection_id, enrolment.authorisation_link)

    def remote_accounts(self, owner_id: UUID, connection_id: UUID) -> list[RemoteAccount]:
        """Ask the provider which accounts it shows (the user picks which to link)."""
        connection = self._load(owner_id, connection_id)
        try:
            with closing(self._connector(connection)) as connector:
                return list(connector.accounts())
        except ConnectorError as error:
            raise ProviderRefused(error.reason) from None

    def link_account(
        self, owner_id: UUID, connection_id: UUID, *, remote_id: str, account_id: UUID
    ) -> None:
        remote = {account.id: account for account in self.remote_accounts(owner_id, connection_id)}
        if remote_id not in remote:
            raise UnknownBankAccount(remote_id)
        actor = Actor.user(owner_id)

        def command() -> list[Connection]:
            connection = self._load(owner_id, connection_id)
            account = load_owned(self._ledger, Account, account_id, owner_id)
            if account.closed:
                raise RuleBroken(f"account {account_id} is closed")
            currency = remote[remote_id].currency
            if currency and currency != account.currency:
                raise RuleBroken(
                    f"the bank account is in {currency}, account {account_id} in {account.currency}"
                )
            connection.authorise(actor=actor)
            connection.link_account(remote_id, account_id, remote[remote_id].name, actor=actor)
            return [connection]

        self._runner.run(command, owner_id=owner_id, answer={"id": str(connection_id)})
        self._reschedule(self._load(owner_id, connection_id))

    def change_interval(self, owner_id: UUID, connection_id: UUID, interval: timedelta) -> None:
        def command() -> list[Connection]:
            connection = self._load(owner_id, connection_id)
            connection.change_interval(interval, actor=Actor.user(owner_id))
            return [connection]

        self._runner.run(command, owner_id=owner_id, answer={"id": str(connection_id)})
        self._reschedule(self._load(owner_id, connection_id))

    def remove(self, owner_id: UUID, connection_id: UUID) -> None:
        """Forget the link and destroy its secret; transactions already imported stay."""
        connection = self._load(owner_id, connection_id)

        def command() -> list[Connection]:
            fresh = self._load(owner_id, connection_id)
            fresh.remove(actor=Actor.user(owner_id))
            return [fresh]

        self._runner.run(command, owner_id=owner_id, answer={"id": str(connection_id)})
        self._vault.delete(owner_id, connection.credentials_ref)
        self._schedule.set_due(connection_id, owner_id, None)

    def check_can_sync(self, owner_id: UUID, connection_id: UUID) -> None:
        """Before "sync now" is queued: the connection exists, is the caller's and not removed."""
        connection = self._load(owner_id, connection_id)
        if connection.removed:
            raise RecordNotFound("connection", connection_id)

    # -- queries -------------------------------------------------------------------------------

    def get(self, owner_id: UUID, connection_id: UUID) -> ConnectionView:
        connection = self._load(owner_id, connection_id)
        if connection.removed:
            raise RecordNotFound("connection", connection_id)
        return self._view(connection)

    def list_owned(self, owner_id: UUID) -> list[ConnectionView]:
        views = []
        for connection_id in self._schedule.owned_by(owner_id):
            try:
                connection = self._load(owner_id, connection_id)
            except RecordNotFound:
                continue
            if not connection.removed:
                views.append(self._view(connection))
        return sorted(views, key=lambda view: (view.name, str(view.id)))

    def _view(self, connection: Connection) -> ConnectionView:
        failure = connection.last_failure if connection.failures else None
        return ConnectionView(
            id=connection.id,
            provider=connection.provider,
            name=connection.name,
            status=connection.status.value,
            sync_interval_minutes=connection.interval_s // 60,
            last_synced_at=connection.last_synced_at,
            lines_new=connection.last_counts.get("new"),
            lines_duplicate=connection.last_counts.get("duplicate"),
            next_sync_at=connection.next_due(self._clock()) if connection.links else None,
            failure_reason=None if failure is None else failure["reason"],
            failure_kind=None if failure is None else failure["kind"],
            failed_attempts=connection.failures,
            attention_reason=connection.attention_reason,
            authorisation_link=connection.authorisation_link
            if connection.status is ConnectionStatus.AWAITING_AUTHORISATION
            else None,
            pending_open=len(connection.open_pending),
            linked_accounts=tuple(
                LinkedAccountView(remote_id, link["remote_name"], link["account_id"])
                for remote_id, link in sorted(connection.links.items())
            ),
        )


class EnrolmentFailed(RuleBroken):
    def __init__(self, reason: str) -> None:
        super().__init__(f"the provider refused the setup: {reason}")


class ProviderRefused(RuleBroken):
    def __init__(self, reason: str) -> None:
        super().__init__(f"the provider did not answer as expected: {reason}")


class UnknownBankAccount(NotFound):
    def __init__(self, remote_id: str) -> None:
        super().__init__(f"the provider shows no bank account {remote_id!r}")
        self.remote_id = remote_id
