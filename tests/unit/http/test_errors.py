"""The one table from domain errors to HTTP statuses."""

from __future__ import annotations

import uuid

import pytest
from eventsourcing.persistence import OperationalError
from sqlalchemy import exc as sa_exc

from adapters.http.auth.service import InvalidCredentials, PasswordRejected, TooManyAttempts
from adapters.http.errors import mapped_problem, status_for
from domain.errors import (
    AccountClosed,
    Conflict,
    DomainError,
    InvalidEmail,
    NotFound,
    RuleBroken,
    UnknownCurrency,
)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (NotFound("x"), 404),
        (Conflict("x"), 409),
        (RuleBroken("x"), 422),
        (DomainError("x"), 422),
        (InvalidEmail("no @"), 422),
        (UnknownCurrency("XXX"), 422),
        (PasswordRejected("too short"), 422),
        (InvalidCredentials(), 401),
        (TooManyAttempts(30), 429),
        (OperationalError("lost connection"), 503),
        (sa_exc.OperationalError("SELECT 1", {}, Exception("gone")), 503),
        (ValueError("x"), 500),
    ],
)
def test_the_most_specific_base_class_decides(error: Exception, status: int) -> None:
    assert status_for(error)[0] == status


def test_a_subclass_of_a_mapped_error_inherits_its_status() -> None:
    class AccountGone(NotFound):
        pass

    assert status_for(AccountGone("gone"))[0] == 404
    assert status_for(AccountClosed(uuid.uuid4()))[0] == 422


def test_a_throttled_sign_in_says_when_to_retry() -> None:
    problem = mapped_problem(TooManyAttempts(42))
    assert problem.status_code == 429
    assert problem.headers == {"Retry-After": "42"}


def test_a_rule_with_a_field_names_it() -> None:
    problem = mapped_problem(PasswordRejected("a password needs at least 12 characters"))
    assert problem.extra == {
        "errors": [
            {
                "field": "password",
                "source": "body",
                "message": "a password needs at least 12 characters",
            }
        ]
    }


def test_a_lost_database_is_a_retryable_503_without_the_drivers_text() -> None:
    problem = mapped_problem(OperationalError("(2013, 'Lost connection to server: secret-host')"))
    assert problem.status_code == 503
    assert problem.headers == {"Retry-After": "1"}
    assert "secret-host" not in str(problem.detail)
