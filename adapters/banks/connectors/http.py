"""Calling a bank provider over HTTP: timeouts, bounded retries with jitter, hostile answers.

Every request has connect/read timeouts. Transport errors, 5xx and 429 are retried up to
``attempts`` times, waiting ``base_delay * 2**n`` plus jitter — or what ``Retry-After`` (or a
provider's own reset header) asks, if that is not longer than ``max_wait``; past that the error is
raised as ``ProviderUnavailable`` with ``retry_after`` so the sync backs off instead of blocking a
worker. Bodies are read up to ``max_bytes`` and decoded strictly with msgspec into the caller's
types: anything else is ``MalformedResponse``. 401/403 are ``NeedsReauthentication``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import msgspec

from adapters.banks.text import safe_text
from application.connection_ports import (
    MalformedResponse,
    NeedsReauthentication,
    ProviderUnavailable,
)
from domain.errors import InvalidText
from domain.text import DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH, normalise_iban

T = TypeVar("T")
MAX_RESPONSE_BYTES = 16 * 1024 * 1024
RESET_HEADERS = (
    "retry-after",
    "http_x_ratelimit_account_success_request_reset",  # GoCardless: per-account daily quota
    "http_x_ratelimit_reset",
    "x-ratelimit-account-success-request-reset",
    "x-ratelimit-reset",
)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 3
    base_delay: float = 0.5
    max_wait: float = 10.0  # longer waits are left to the sync's backoff
    timeout: float = 20.0
    max_bytes: int = MAX_RESPONSE_BYTES


Sleep = Callable[[float], None]


class ProviderHttp:
    """One provider's base URL and client; ``request`` returns the decoded body."""

    def __init__(
        self,
        base_url: str,
        *,
        name: str,
        policy: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Sleep = time.sleep,
        auth: httpx.Auth | None = None,
    ) -> None:
        self.policy = policy or RetryPolicy()
        self._name = name
        self._sleep = sleep
        self._client = httpx.Client(
            base_url=base_url,
            timeout=httpx.Timeout(self.policy.timeout, connect=min(self.policy.timeout, 10.0)),
            transport=transport,
            auth=auth,
            follow_redirects=False,
            headers={"Accept": "application/json", "User-Agent": "fintrack"},
        )

    def close(self) -> None:
        self._client.close()

    def request(
        self,
        method: str,
        path: str,
        type: type[T],
        *,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        decode: Callable[[bytes], T] | None = None,
    ) -> T:
        body, _status = self.raw(method, path, params=params, json=json, headers=headers)
        if decode is not None:
            return decode(body)
        try:
            return msgspec.json.decode(body, type=type)
        except (msgspec.DecodeError, msgspec.ValidationError) as error:
            raise MalformedResponse(f"{self._name} sent an unexpected answer: {error}") from None

    def raw(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[bytes, int]:
        policy = self.policy
        for attempt in range(policy.attempts):
            last = attempt == policy.attempts - 1
            try:
                with self._client.stream(
                    method, path, params=params, json=json, headers=headers
                ) as response:
                    status = response.status_code
                    if status in (401, 403):
                        raise NeedsReauthentication(
                            f"{self._name} refused the credentials (HTTP {status})"
                        )
                    if status == 429 or status >= 500:
                        wait = _wait_hint(response.headers)
                        reason = f"{self._name} answered HTTP {status}"
                        if last or (wait is not None and wait > policy.max_wait):
                            raise ProviderUnavailable(reason, retry_after=wait)
                        self._sleep(wait if wait is not None else _delay(policy, attempt))
                        continue
                    body = _read_limited(response, policy.max_bytes, self._name)
                    if status >= 400:
                        raise ProviderError(status, body, self._name)
                    return body, status
            except httpx.TransportError as error:
                if last:
                    raise ProviderUnavailable(
                        f"{self._name} could not be reached ({type(error).__name__})"
                    ) from None
                self._sleep(_delay(policy, attempt))
        raise AssertionError("unreachable")  # pragma: no cover


class ProviderError(MalformedResponse):
    """A 4xx other than 401/403/429: the provider refused the request itself."""

    def __init__(self, status: int, body: bytes, name: str) -> None:
        summary = _summary(body)
        super().__init__(f"{name} refused the request (HTTP {status}){summary}")
        self.status = status
        self.body = body


def _summary(body: bytes) -> str:
    try:
        data = msgspec.json.decode(body[:4096])
    except msgspec.DecodeError:
        return ""
    if isinstance(data, dict):
        text = data.get("summary") or data.get("detail") or data.get("message")
        if isinstance(text, str):
            return ": " + safe_text(text)[:200]
    return ""


def _read_limited(response: httpx.Response, limit: int, name: str) -> bytes:
    declared = response.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise MalformedResponse(f"{name} sent {declared} bytes, more than the {limit} allowed")
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise MalformedResponse(f"{name} sent more than the {limit} bytes allowed")
        chunks.append(chunk)
    return b"".join(chunks)


def _wait_hint(headers: httpx.Headers) -> float | None:
    for name in RESET_HEADERS:
        value = headers.get(name)
        if value is not None:
            try:
                seconds = float(value)
            except ValueError:
                continue
            if 0 <= seconds < 366 * 86400:
                return seconds
    return None


def _delay(policy: RetryPolicy, attempt: int) -> float:
    delay: float = policy.base_delay * 2**attempt * (1 + random.random())  # noqa: S311 - jitter
    return delay


def short(text: str | None) -> str:
    """A provider's one-line text, made safe and cut to the ledger's name limit."""
    return safe_text(text)[:NAME_MAX_LENGTH].strip()


def long(text: str | None) -> str:
    return safe_text(text)[:DESCRIPTION_MAX_LENGTH].strip()


def iban(text: str | None) -> str:
    """The IBAN if it is one (checksum and all), else empty: banks put other numbers there."""
    if not text or len(text) > 64:
        return ""
    try:
        return normalise_iban(text)
    except InvalidText:
        return ""
