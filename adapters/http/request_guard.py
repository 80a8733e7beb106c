"""Refuse request bodies a handler cannot take, before anything parses them.

Litestar decodes a JSON body whatever the ``Content-Type`` says, and msgspec answers a document
nested ~1000 levels deep with ``RecursionError`` (a 500) rather than a decode error. Both are
closed here: a body whose media type the handler does not accept is a 415, and a JSON body with
suspiciously many brackets is parsed once, untyped, so a too-deep one becomes a 400. The size limit
(1 MiB, 413) is Litestar's ``request_max_body_size``, enforced when the body is read.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar.connection import Request
from litestar.enums import RequestEncodingType, ScopeType
from litestar.exceptions import ClientException, HTTPException
from litestar.middleware import ASGIMiddleware
from litestar.params import BodyKwarg
from litestar.types import ASGIApp, Receive, Scope, Send

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
DEEP_JSON_BRACKETS = 256  # fewer brackets than this cannot nest deep enough to matter
_ACCEPTED = "fintrack_accepted_media_types"  # handler opt: the memo of accepted_media_types


class UnsupportedMediaType(HTTPException):
    status_code = 415


class RequestGuard(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if scope.get("method") in BODY_METHODS:
            accepted = _accepted(scope["route_handler"])
            request: Request[Any, Any, Any] = Request(scope, receive)
            if accepted and _has_body(request):
                media_type = request.content_type[0].lower()
                if media_type not in accepted:
                    raise UnsupportedMediaType(
                        detail=f"send the body as {' or '.join(sorted(accepted))}",
                        headers={"Accept-Post": ", ".join(sorted(accepted))},
                    )
                if media_type == RequestEncodingType.JSON:
                    _refuse_deep_json(await request.body())
        await next_app(scope, receive, send)


def _accepted(handler: Any) -> frozenset[str]:
    """``accepted_media_types``, worked out once per handler."""
    accepted: frozenset[str] | None = handler.opt.get(_ACCEPTED)
    if accepted is None:
        accepted = handler.opt[_ACCEPTED] = accepted_media_types(handler)
    return accepted


def accepted_media_types(handler: Any) -> frozenset[str]:
    """The media types a handler's body may have: its ``accepts`` opt, else its ``data`` kwarg."""
    if (declared := handler.opt.get("accepts")) is not None:
        return frozenset(declared)
    data = handler.parsed_fn_signature.parameters.get("data")
    if data is None:
        return frozenset()
    kwarg = data.kwarg_definition
    media_type = kwarg.media_type if isinstance(kwarg, BodyKwarg) else RequestEncodingType.JSON
    return frozenset({str(media_type.value if hasattr(media_type, "value") else media_type)})


def _has_body(request: Request[Any, Any, Any]) -> bool:
    length = request.headers.get("content-length")
    if length is not None:
        return length.strip() not in ("", "0")
    return "transfer-encoding" in request.headers


def _refuse_deep_json(body: bytes) -> None:
    if body.count(b"[") + body.count(b"{") < DEEP_JSON_BRACKETS:
        return
    try:
        msgspec.json.decode(body)
    except RecursionError:
        raise ClientException(detail="the JSON document is nested too deeply") from None
    except msgspec.DecodeError:
        return  # malformed JSON: the handler's own decoding reports it with a position
