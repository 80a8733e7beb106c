"""Calling a provider: bounded retries, hostile answers refused, no secret in the reasons."""

from __future__ import annotations

import httpx
import msgspec
import pytest

from adapters.banks.connectors.http import ProviderHttp, RetryPolicy
from application.connection_ports import (
    MalformedResponse,
    NeedsReauthentication,
    ProviderUnavailable,
)

POLICY = RetryPolicy(attempts=3, base_delay=0.01, max_wait=30, timeout=1, max_bytes=1000)


class Thing(msgspec.Struct):
    name: str


def _http(handler: httpx.MockTransport, slept: list[float] | None = None) -> ProviderHttp:
    waits = slept if slept is not None else []
    return ProviderHttp(
        "https://provider.example", name="P", policy=POLICY, transport=handler, sleep=waits.append
    )


def _answers(*responses: httpx.Response) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    queue = list(responses)
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return queue.pop(0)

    return httpx.MockTransport(handle), seen


def test_server_errors_are_retried_a_bounded_number_of_times() -> None:
    transport, seen = _answers(*(httpx.Response(503) for _ in range(5)))
    with pytest.raises(ProviderUnavailable):
        _http(transport).request("GET", "/x", Thing)
    assert len(seen) == 3


def test_a_short_retry_after_is_waited_out_then_the_call_succeeds() -> None:
    transport, _ = _answers(
        httpx.Response(429, headers={"Retry-After": "2"}), httpx.Response(200, json={"name": "ok"})
    )
    slept: list[float] = []
    assert _http(transport, slept).request("GET", "/x", Thing).name == "ok"
    assert slept == [2.0]


def test_a_long_retry_after_is_left_to_the_sync_backoff() -> None:
    transport, seen = _answers(httpx.Response(429, headers={"Retry-After": "3600"}))
    with pytest.raises(ProviderUnavailable) as raised:
        _http(transport).request("GET", "/x", Thing)
    assert raised.value.retry_after == 3600
    assert len(seen) == 1


def test_an_oversized_answer_is_refused_unread() -> None:
    transport, _ = _answers(httpx.Response(200, content=b"[" + b"1," * 2000 + b"1]"))
    with pytest.raises(MalformedResponse, match="more than the 1000"):
        _http(transport).request("GET", "/x", Thing)


def test_an_answer_of_the_wrong_shape_is_malformed() -> None:
    transport, _ = _answers(httpx.Response(200, json={"name": 5}))
    with pytest.raises(MalformedResponse, match="unexpected answer"):
        _http(transport).request("GET", "/x", Thing)


def test_refused_credentials_need_reauthentication() -> None:
    transport, _ = _answers(httpx.Response(401))
    with pytest.raises(NeedsReauthentication):
        _http(transport).request("GET", "/x", Thing)


def test_a_network_failure_is_retried_then_reported_without_details() -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused to user:secret@host")

    with pytest.raises(ProviderUnavailable) as raised:
        _http(httpx.MockTransport(down)).request("GET", "/x", Thing)
    assert "secret" not in raised.value.reason


def test_a_streamed_answer_without_a_length_is_cut_at_the_limit() -> None:
    def endless(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=iter([b"x" * 600, b"x" * 600, b"x" * 600]))

    with pytest.raises(MalformedResponse, match="more than the 1000 bytes"):
        _http(httpx.MockTransport(endless)).request("GET", "/x", Thing)
