"""Every error becomes an RFC 9457 problem detail; one table decides the status of domain errors.

Litestar's ``ProblemDetailsPlugin`` renders ``application/problem+json``; the converters here decide
what goes in it. ``title`` is the short, fixed summary of the kind of problem and ``detail`` the
specific case (Litestar's default swaps them for validation errors, so we convert HTTP exceptions
ourselves). Nothing internal leaks: unhandled exceptions are logged and answered with a bare 500.
"""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any

from eventsourcing.persistence import OperationalError
from litestar.exceptions import HTTPException, ValidationException
from litestar.plugins.problem_details import ProblemDetailsConfig, ProblemDetailsException
from sqlalchemy import exc as sa_exc

from adapters.http.auth.service import InvalidCredentials, TooManyAttempts
from domain.errors import Conflict, DomainError, NotFound, RuleBroken
from projections.errors import InvalidQuery, ProjectionLagging

log = logging.getLogger(__name__)

PROBLEM = "urn:fintrack:problem:"

# The database is down or dropped the connection (a restart): try again, not a bug of ours.
DATABASE_UNAVAILABLE = (OperationalError, sa_exc.OperationalError)

# The one table: the most specific base class of a raised error decides (walked along the MRO).
STATUS: dict[type[Exception], tuple[int, str]] = {
    ProjectionLagging: (503, "projection-lagging"),  # a Conflict, but the server is what lags
    NotFound: (404, "not-found"),
    Conflict: (409, "conflict"),
    RuleBroken: (422, "rule-broken"),
    DomainError: (422, "domain-error"),
    InvalidCredentials: (401, "unauthorized"),
    TooManyAttempts: (429, "too-many-attempts"),
    **dict.fromkeys(DATABASE_UNAVAILABLE, (503, "database-unavailable")),
}


def problem_details_config() -> ProblemDetailsConfig:
    return ProblemDetailsConfig(
        enable_for_all_http_exceptions=True,
        exception_to_problem_detail_map={
            HTTPException: http_problem,
            DomainError: mapped_problem,
            InvalidCredentials: mapped_problem,
            TooManyAttempts: mapped_problem,
            **dict.fromkeys(DATABASE_UNAVAILABLE, mapped_problem),
            RecursionError: too_deep,
            Exception: internal_error,
        },
    )


def status_for(error: Exception) -> tuple[int, str]:
    for cls in type(error).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500, "internal-error"


def mapped_problem(error: Exception) -> ProblemDetailsException:
    status, slug = status_for(error)
    headers: dict[str, str] = {}
    extra: dict[str, Any] = {}
    detail = getattr(error, "message", None) or str(error)
    if isinstance(error, InvalidCredentials):
        detail = "the e-mail address, password or token is not valid"
        headers["WWW-Authenticate"] = 'Bearer realm="fintrack"'
    if isinstance(error, TooManyAttempts):
        headers["Retry-After"] = str(error.retry_after)
    if isinstance(error, ProjectionLagging):
        headers["Retry-After"] = "1"
    if isinstance(error, DATABASE_UNAVAILABLE):
        # The type only: the driver's text may quote statements or hosts.
        log.warning("database unavailable: %s", type(error).__name__)
        detail = "the database is unavailable; try again shortly"
        headers["Retry-After"] = "1"
    if (field := getattr(error, "field", None)) is not None:
        extra["errors"] = [{"field": field, "source": "body", "message": detail}]
    if isinstance(error, InvalidQuery):
        extra["errors"] = [{"field": error.parameter, "source": "query", "message": error.reason}]
    return ProblemDetailsException(
        type_=PROBLEM + slug,
        title=HTTPStatus(status).phrase,
        status_code=status,
        detail=detail,
        headers=headers or None,
        extra=extra or None,
    )


def http_problem(error: HTTPException) -> ProblemDetailsException:
    status = error.status_code
    phrase = HTTPStatus(status).phrase
    detail = error.detail if error.detail and error.detail != phrase else ""
    headers = dict(error.headers or {})
    extra: dict[str, Any] = {}
    slug = "about:blank"
    if isinstance(error, ValidationException):
        slug = PROBLEM + "invalid-request"
        extra["errors"] = [_field_error(item) for item in _items(error.extra)]
    if status == 429 and "Retry-After" not in headers and "RateLimit-Reset" in headers:
        headers["Retry-After"] = headers["RateLimit-Reset"]
    if status == 401:
        headers.setdefault("WWW-Authenticate", 'Bearer realm="fintrack"')
        detail = detail if detail in _SAFE_401 else "authentication is required"
    if status >= 500:
        detail = ""  # Litestar puts exception text here; never show it
    return ProblemDetailsException(
        type_=slug,
        title=phrase,
        status_code=status,
        detail=detail or phrase,
        headers=headers or None,
        extra=extra or None,
    )


_SAFE_401 = {"a bearer token is required", "invalid token"}


def too_deep(_: RecursionError) -> ProblemDetailsException:
    # msgspec raises RecursionError (not DecodeError) for JSON nested ~1000 levels deep, while
    # Litestar decodes a body; ``RequestGuard`` catches most of it earlier, this is the backstop.
    return ProblemDetailsException(
        type_=PROBLEM + "invalid-request",
        title="Bad Request",
        status_code=400,
        detail="the JSON document is nested too deeply",
    )


def internal_error(error: Exception) -> ProblemDetailsException:
    log.error("unhandled error", exc_info=error)
    return ProblemDetailsException(
        type_="about:blank",
        title="Internal Server Error",
        status_code=500,
        detail="the server could not complete the request; it has been logged",
    )


def _items(extra: object) -> list[dict[str, Any]]:
    if isinstance(extra, list):
        return [item for item in extra if isinstance(item, dict)]
    if isinstance(extra, dict):
        return [extra]
    return []


_AT_PATH = re.compile(r" - at `\$(?P<path>[^`]*)`$")


def _field_error(item: dict[str, Any]) -> dict[str, Any]:
    """msgspec names the offending field in its message ("Expected `str`, got `int` - at
    `$.email`", "Object missing required field `password`"): lift it out."""
    message = str(item.get("message") or "invalid value")
    field = str(item.get("key") or "")
    path = ""
    if match := _AT_PATH.search(message):
        message = message[: match.start()]
        path = match["path"].lstrip(".")
    if named := _NAMED_FIELD.search(message):
        path = f"{path}.{named['name']}" if path else named["name"]
    return {"field": path or field, "source": str(item.get("source") or "body"), "message": message}


_NAMED_FIELD = re.compile(r"(?:unknown|missing required) field `(?P<name>[^`]*)`")
