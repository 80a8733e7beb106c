"""The Connection aggregate: backoff, incidents reported once, removal."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from domain.actor import Actor
from domain.connection import (
    ATTENTION_AFTER,
    AccountAlreadyLinked,
    Connection,
    ConnectionRemoved,
    ConnectionStatus,
    FailureKind,
    InvalidSyncInterval,
    backoff,
)

NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)
SYSTEM = Actor.system()


def _connection(**extra: object) -> Connection:
    owner = uuid4()
    connection = Connection.create(
        id=uuid4(),
        owner_id=owner,
        provider="demo",
        name="Demo",
        credentials_ref=uuid4(),
        actor=Actor.user(owner),
        **extra,  # type: ignore[arg-type]
    )
    connection.link_account("r1", uuid4(), "Checking", actor=SYSTEM)
    return connection


def test_backoff_doubles_from_five_minutes_up_to_six_hours() -> None:
    waits = [backoff(n, jitter=0.0) for n in range(1, 9)]
    assert waits[:4] == [timedelta(minutes=m) for m in (5, 10, 20, 40)]
    assert waits[-1] == timedelta(hours=6)
    assert backoff(1, jitter=1.0) == timedelta(minutes=10)  # jitter adds at most the wait again


def test_a_transient_failure_schedules_the_next_attempt_after_the_backoff() -> None:
    connection = _connection()
    opened = connection.record_failure(
        at=NOW, kind=FailureKind.TRANSIENT, reason="HTTP 500", actor=SYSTEM
    )
    assert not opened
    assert connection.status is ConnectionStatus.FAILING
    assert connection.next_due(NOW) == NOW + timedelta(minutes=5)


def test_a_provider_retry_after_longer_than_the_backoff_wins() -> None:
    connection = _connection()
    later = NOW + timedelta(hours=2)
    connection.record_failure(
        at=NOW, kind=FailureKind.TRANSIENT, reason="429", not_before=later, actor=SYSTEM
    )
    assert connection.next_due(NOW) == later


def test_a_reauthentication_failure_opens_an_incident_once_and_stops_retrying() -> None:
    connection = _connection()
    first = connection.record_failure(
        at=NOW, kind=FailureKind.REAUTHENTICATE, reason="403", actor=SYSTEM
    )
    second = connection.record_failure(
        at=NOW, kind=FailureKind.REAUTHENTICATE, reason="403", actor=SYSTEM
    )
    assert (first, second) == (True, False)
    assert connection.status is ConnectionStatus.NEEDS_ATTENTION
    assert connection.next_due(NOW) is None


def test_transient_failures_open_an_incident_after_several_in_a_row() -> None:
    connection = _connection()
    opened = [
        connection.record_failure(at=NOW, kind=FailureKind.TRANSIENT, reason="x", actor=SYSTEM)
        for _ in range(ATTENTION_AFTER + 2)
    ]
    assert opened.count(True) == 1
    assert opened.index(True) == ATTENTION_AFTER - 1


def test_a_successful_sync_closes_the_incident() -> None:
    connection = _connection()
    connection.record_failure(at=NOW, kind=FailureKind.REAUTHENTICATE, reason="x", actor=SYSTEM)
    connection.record_sync(
        at=NOW, cursor=date(2026, 11, 2), lines_new=0, lines_duplicate=0, actor=SYSTEM
    )
    assert connection.status is ConnectionStatus.ACTIVE
    assert connection.next_due(NOW) == NOW + timedelta(hours=6)
    # ...so the next incident is reported again
    assert connection.record_failure(
        at=NOW, kind=FailureKind.REAUTHENTICATE, reason="x", actor=SYSTEM
    )


def test_a_removed_connection_refuses_commands() -> None:
    connection = _connection()
    connection.remove(actor=SYSTEM)
    with pytest.raises(ConnectionRemoved):
        connection.record_sync(
            at=NOW, cursor=date(2026, 11, 2), lines_new=0, lines_duplicate=0, actor=SYSTEM
        )
    assert connection.next_due(NOW) is None


def test_one_account_cannot_take_lines_from_two_bank_accounts() -> None:
    connection = _connection()
    account = connection.links["r1"]["account_id"]
    with pytest.raises(AccountAlreadyLinked):
        connection.link_account("r2", account, "Savings", actor=SYSTEM)


def test_the_interval_is_bounded() -> None:
    with pytest.raises(InvalidSyncInterval):
        _connection(interval=timedelta(minutes=1))


def test_a_connection_awaiting_consent_is_not_due() -> None:
    connection = _connection(authorisation_link="https://bank.example/consent")
    assert connection.status is ConnectionStatus.AWAITING_AUTHORISATION
    assert connection.next_due(NOW) is None
    connection.authorise(actor=SYSTEM)
    assert connection.next_due(NOW) == NOW
