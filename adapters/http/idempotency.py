"""``Idempotency-Key`` on POST: a repeat gets the first answer; a reused key with another body, 422.

How concurrent repeats stay single-effect: the first request *claims* (user, key) by inserting a
``pending`` row (a primary-key insert, so exactly one request wins, in any process or replica);
the others wait for that row to turn ``done`` and replay the stored status and body. A request
that failed with 5xx (or 401/403/409/429, which a retry may change) releases its claim so the
client can retry. A claim whose holder died is taken over after its lease runs out; a command
re-run that way still cannot append twice, because ledger commands also carry the key to the
recorder as an ``application.idempotency.IdempotencyClaim``, committed with the events.

Only authenticated POSTs are covered (the key is per user). Handlers whose answer holds a secret
(login, refresh, a new personal access token) set ``opt={"idempotent": False}``: storing their
response would store the secret. For them the header is ignored.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import time
from dataclasses import dataclass
from typing import Any, Literal, Protocol
from uuid import UUID

from litestar.connection import Request
from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.exceptions import ClientException, HTTPException
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from adapters.http.auth.tokens import Principal

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
_KEY = re.compile(r"[\x21-\x7e]{1,200}")  # visible ASCII, as the IETF draft's examples use
_NOT_STORED = frozenset({401, 403, 408, 409, 423, 425, 429})


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status_code: int
    content_type: str
    body: bytes


@dataclass(frozen=True, slots=True)
class Claim:
    state: Literal["acquired", "pending", "done"]
    request_hash: bytes
    response: StoredResponse | None = None


class IdempotentResponses(Protocol):
    async def claim(
        self, owner_id: UUID, key: str, request_hash: bytes, now_ms: int, lease_ms: int
    ) -> Claim: ...
    async def complete(self, owner_id: UUID, key: str, response: StoredResponse) -> None: ...
    async def release(self, owner_id: UUID, key: str) -> None: ...


class KeyReused(HTTPException):
    status_code = 422


class StillRunning(HTTPException):
    status_code = 409


def idempotency_key(request: Request[Any, Any, Any]) -> str | None:
    """For handlers that pass the key on to the ledger (``IdempotencyClaim``)."""
    key = request.headers.get(HEADER)
    return key if key is not None and _KEY.fullmatch(key) else None


class IdempotencyMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    def __init__(
        self, store: IdempotentResponses, *, lease_s: float = 60.0, wait_s: float = 15.0
    ) -> None:
        self.store = store
        self.lease_ms = int(lease_s * 1000)
        self.wait_s = wait_s

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        request: Request[Any, Any, Any] = Request(scope, receive)
        key = request.headers.get(HEADER)
        principal = scope.get("user")
        if (
            key is None
            or scope.get("method") != "POST"
            or not isinstance(principal, Principal)
            or not scope["route_handler"].opt.get("idempotent", True)
        ):
            await next_app(scope, receive, send)
            return
        if not _KEY.fullmatch(key):
            raise ClientException(
                detail=f"{HEADER} must be 1-200 visible ASCII characters",
                extra=[{"key": HEADER, "source": "header", "message": "malformed key"}],
            )
        digest = _request_hash(scope, await request.body())
        owner = principal.user_id
        deadline = time.monotonic() + self.wait_s
        delay = 0.01
        while True:
            claim = await self.store.claim(owner, key, digest, _now_ms(), self.lease_ms)
            if claim.request_hash != digest:
                raise KeyReused(detail=f"this {HEADER} was used with another request")
            if claim.state == "acquired":
                await self._run_first(scope, receive, send, next_app, owner=owner, key=key)
                return
            if claim.state == "done" and claim.response is not None:
                await _replay(claim.response, send)
                return
            if time.monotonic() >= deadline:
                raise StillRunning(
                    detail=f"a request with this {HEADER} is still running",
                    headers={"Retry-After": "1"},
                )
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.25)

    async def _run_first(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        next_app: ASGIApp,
        *,
        owner: UUID,
        key: str,
    ) -> None:
        captured = _Capture(send)
        try:
            await next_app(scope, receive, captured)
        except BaseException:
            await asyncio.shield(self.store.release(owner, key))
            raise
        status = captured.status
        if status is None or status >= 500 or status in _NOT_STORED:
            await self.store.release(owner, key)
            return
        response = StoredResponse(status, captured.content_type, b"".join(captured.body))
        await self.store.complete(owner, key, response)


class _Capture:
    def __init__(self, send: Send) -> None:
        self.send = send
        self.status: int | None = None
        self.content_type = "application/json"
        self.body: list[bytes] = []

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            headers = MutableScopeHeaders.from_message(message)
            self.content_type = headers.get("content-type") or self.content_type
        elif message["type"] == "http.response.body":
            self.body.append(message.get("body", b""))
        await self.send(message)


async def _replay(response: StoredResponse, send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": response.status_code,
            "headers": [
                (b"content-type", response.content_type.encode("latin-1")),
                (b"content-length", str(len(response.body)).encode()),
                (REPLAYED_HEADER.lower().encode(), b"true"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": response.body, "more_body": False})


def _request_hash(scope: Scope, body: bytes) -> bytes:
    """Method, path, query and body: the same key on another endpoint is another request."""
    digest = hashlib.sha256()
    method = str(scope.get("method", "")).encode()
    for part in (method, scope["raw_path"], scope["query_string"], body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.digest()


def _now_ms() -> int:
    return int(time.time() * 1000)
