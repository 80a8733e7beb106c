"""The sync of one bank connection: fetch, reconcile with pending lines, record, back off.

``ConnectionSync.sync`` is synchronous (it calls the provider and the ledger): run it in a worker
thread. It never raises for a provider's failure: it records it (with the next attempt, backing
off) and says in its ``SyncReport`` whether an incident just opened, so the caller mails the user
once. Lines go through the ``LineIngest`` port (the import pipeline's de-duplication); pending
lines are tracked on the ``Connection`` and their transactions tagged ``pending`` until booked.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from application.command import CommandRunner
from application.connection_ports import (
    BankConnector,
    ConnectorError,
    ConnectorFactory,
    CredentialVault,
    LineIngest,
    MalformedResponse,
    NeedsReauthentication,
    ProviderUnavailable,
    SyncSchedule,
)
from application.connection_reconcile import Plan, pending_entry, plan
from application.errors import RecordNotFound
from application.ledger import Ledger
from application.loading import load_owned
from application.statement import StatementLine
from domain.actor import Actor
from domain.connection import Connection, FailureKind
from domain.errors import DomainError
from domain.money import Money
from domain.transaction import Transaction

PENDING_TAG = "pending"  # on a transaction whose line the bank has not booked yet
FIRST_SYNC_DAYS = 90  # what most PSD2 banks serve
OVERLAP_DAYS = 7  # re-read this far behind the cursor: late bookings, pending that booked

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class SyncReport:
    connection_id: UUID
    owner_id: UUID
    name: str
    status: str
    lines_new: int = 0
    lines_duplicate: int = 0
    pending_opened: int = 0
    pending_linked: int = 0
    pending_dropped: int = 0
    failure: str | None = None
    incident_opened: bool = False  # mail the user: once per incident
    skipped: bool = False  # removed, or awaiting authorisation


@dataclass(slots=True)
class _Fetched:
    account_id: UUID
    plan: Plan
    pending_ids: list[UUID] = field(default_factory=list)
    new: int = 0
    duplicate: int = 0


class ConnectionSync:
    def __init__(
        self,
        ledger: Ledger,
        runner: CommandRunner,
        *,
        connectors: ConnectorFactory,
        vault: CredentialVault,
        ingest: LineIngest,
        schedule: SyncSchedule,
        clock: Clock = utc_now,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._ledger = ledger
        self._runner = runner
        self._connectors = connectors
        self._vault = vault
        self._ingest = ingest
        self._schedule = schedule
        self._clock = clock
        self._jitter = jitter

    # -- the sync ------------------------------------------------------------------------------

    def sync(self, owner_id: UUID, connection_id: UUID) -> SyncReport:
        connection = self._load(owner_id, connection_id)
        if connection.removed or not connection.links:
            return self._report(connection, skipped=True)
        now = self._clock()
        batch_id = uuid4()
        actor = Actor.import_(batch_id)
        connector: BankConnector | None = None
        try:
            connector = self._connector(connection)
            fetched = self._fetch(connection, connector, now.date(), batch_id, actor)
            credentials = connector.credentials()
        except ConnectorError as error:
            return self._fail(connection, now, error)
        except DomainError as error:  # a line the ledger refuses (currency, text): not silent
            return self._fail(connection, now, MalformedResponse(error.message))
        finally:
            if connector is not None:
                connector.close()
        if credentials != self._vault.get(owner_id, connection.credentials_ref):
            self._vault.put(owner_id, connection.credentials_ref, credentials)
        return self._confirm(owner_id, connection_id, now, fetched, actor)

    def _fetch(
        self,
        connection: Connection,
        connector: BankConnector,
        today: date,
        batch_id: UUID,
        actor: Actor,
    ) -> list[_Fetched]:
        since = (
            today - timedelta(days=FIRST_SYNC_DAYS)
            if connection.cursor is None
            else connection.cursor - timedelta(days=OVERLAP_DAYS)
        )
        owner_id = connection.owner_id
        planned = []
        for remote_id, link in sorted(connection.links.items()):
            account_id: UUID = link["account_id"]
            lines = connector.lines(remote_id, since)

            def recorded(some: Sequence[StatementLine], a: UUID = account_id) -> tuple[bool, ...]:
                return self._ingest.existing(owner_id, a, some)

            decided = plan(
                account_id=account_id,
                lines=lines,
                open_pending=connection.open_pending,
                booked_links=connection.booked_links,
                already_recorded=recorded,
                today=today,
            )
            planned.append((account_id, decided))
        # The records go first: a line is never recorded without its provenance kept.
        self._ingest.keep(
            owner_id,
            batch_id,
            [
                line
                for _, decided in planned
                for line in (*decided.new_booked, *(line for _, line in decided.new_pending))
            ],
        )
        results = []
        for account_id, decided in planned:
            fetched = _Fetched(account_id, decided, duplicate=decided.already_known)
            booked = self._ingest.ingest(owner_id, account_id, batch_id, decided.to_ingest, actor)
            pending = self._ingest.ingest(
                owner_id, account_id, batch_id, [line for _, line in decided.new_pending], actor
            )
            fetched.pending_ids = list(pending.transaction_ids)
            fetched.new = booked.new + pending.new
            fetched.duplicate += booked.duplicate + pending.duplicate
            results.append(fetched)
        return results

    def _confirm(
        self,
        owner_id: UUID,
        connection_id: UUID,
        now: datetime,
        fetched: Sequence[_Fetched],
        actor: Actor,
    ) -> SyncReport:
        counts: dict[str, int] = {}

        def command() -> list[Any]:
            connection = self._load(owner_id, connection_id)
            changed: list[Any] = []
            opened, booked, dropped = [], [], []
            for item in fetched:
                for (key, line), tx_id in zip(item.plan.new_pending, item.pending_ids, strict=True):
                    if key not in connection.open_pending:
                        opened.append({"key": key, **pending_entry(item.account_id, tx_id, line)})
                        changed.extend(self._mark_pending(owner_id, tx_id, actor))
                for link in item.plan.links:
                    if link.key not in connection.open_pending:
                        continue  # linked by a concurrent sync already
                    changed.extend(self._book(owner_id, link.transaction_id, link.line, actor))
                    booked.append(
                        {
                            "key": link.key,
                            "reference": link.reference,
                            "transaction_id": link.transaction_id,
                            "on": link.line.booked_on,
                            "how": link.how,
                        }
                    )
                for key, tx_id in item.plan.dropped:
                    if key in connection.open_pending:
                        changed.extend(self._drop(owner_id, tx_id, actor))
                        dropped.append(key)
            counts.update(opened=len(opened), booked=len(booked), dropped=len(dropped))
            connection.record_sync(
                at=now,
                cursor=now.date(),
                lines_new=sum(item.new for item in fetched),
                lines_duplicate=sum(item.duplicate for item in fetched),
                opened=tuple(opened),
                booked=tuple(booked),
                dropped=tuple(dropped),
                actor=actor,
            )
            return [connection, *changed]

        self._runner.run(command, owner_id=owner_id, answer={"id": str(connection_id)})
        connection = self._load(owner_id, connection_id)
        self._reschedule(connection)
        return self._report(
            connection,
            lines_new=sum(item.new for item in fetched),
            lines_duplicate=sum(item.duplicate for item in fetched),
            pending_opened=counts["opened"],
            pending_linked=counts["booked"],
            pending_dropped=counts["dropped"],
        )

    def _book(
        self, owner_id: UUID, tx_id: UUID, line: StatementLine, actor: Actor
    ) -> list[Transaction]:
        """The pending transaction becomes the booked one: the bank's final values, no tag."""
        try:
            tx = load_owned(self._ledger, Transaction, tx_id, owner_id)
        except RecordNotFound:
            return []
        if tx.deleted:
            return []  # the user deleted it; their decision stands
        tx.amend(
            amount=Money(line.amount, tx.currency),
            booked_on=line.booked_on,
            value_date=line.value_date,
            payee=line.payee,
            counterparty_name=line.counterparty_name,
            description=line.description,
            actor=actor,
        )
        if PENDING_TAG in tx.tags:
            tx.untag(PENDING_TAG, actor=actor)
        return [tx]

    def _mark_pending(self, owner_id: UUID, tx_id: UUID, actor: Actor) -> list[Transaction]:
        try:
            tx = load_owned(self._ledger, Transaction, tx_id, owner_id)
        except RecordNotFound:
            return []
        if tx.deleted or PENDING_TAG in tx.tags:
            return []
        tx.tag(PENDING_TAG, actor=actor)
        return [tx]

    def _drop(self, owner_id: UUID, tx_id: UUID, actor: Actor) -> list[Transaction]:
        try:
            tx = load_owned(self._ledger, Transaction, tx_id, owner_id)
        except RecordNotFound:
            return []
        if tx.deleted or PENDING_TAG not in tx.tags:
            return []  # already gone, or the user kept it deliberately
        tx.delete(actor=actor)
        return [tx]

    def _fail(self, connection: Connection, now: datetime, error: ConnectorError) -> SyncReport:
        kind = (
            FailureKind.REAUTHENTICATE
            if isinstance(error, NeedsReauthentication)
            else FailureKind.TRANSIENT
        )
        retry_after = error.retry_after if isinstance(error, ProviderUnavailable) else None
        not_before = None if retry_after is None else now + timedelta(seconds=retry_after)
        opened: dict[str, bool] = {}
        owner_id, connection_id = connection.owner_id, connection.id
        jitter = self._jitter()

        def command() -> list[Connection]:
            fresh = self._load(owner_id, connection_id)
            opened["incident"] = fresh.record_failure(
                at=now,
                kind=kind,
                reason=error.reason,
                jitter=jitter,
                not_before=not_before,
                actor=Actor.system(),
            )
            return [fresh]

        self._runner.run(command, owner_id=owner_id, answer={"id": str(connection_id)})
        fresh = self._load(owner_id, connection_id)
        self._reschedule(fresh)
        return self._report(fresh, failure=error.reason, incident_opened=opened["incident"])

    # -- helpers -------------------------------------------------------------------------------

    def _connector(self, connection: Connection) -> BankConnector:
        credentials = self._vault.get(connection.owner_id, connection.credentials_ref)
        return self._connectors.connect(connection.provider, credentials)

    def _load(self, owner_id: UUID, connection_id: UUID) -> Connection:
        return load_owned(self._ledger, Connection, connection_id, owner_id)

    def _reschedule(self, connection: Connection) -> None:
        due = connection.next_due(self._clock()) if connection.links else None
        self._schedule.set_due(connection.id, connection.owner_id, due)

    def _report(self, connection: Connection, **fields: Any) -> SyncReport:
        return SyncReport(
            connection_id=connection.id,
            owner_id=connection.owner_id,
            name=connection.name,
            status=connection.status.value,
            **fields,
        )
