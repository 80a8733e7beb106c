"""Refuse query parameters an operation does not take: a misspelt filter silently ignored would
answer the wrong question.

A ``before_request`` hook of the ledger's controllers (``LedgerController``), whose queries take
many filters. Not of the whole API: a client may send ``min_position`` with every query, also to
``/me`` and the others, which do not take it. A hook rather than a guard: Litestar copies the
route handler for every guard of every request (~40 µs each). Async: Litestar would run a sync
hook in a worker thread. An operation's query names are its signature's parameters other than
Litestar's reserved ones (``request``, ``data``…), its dependencies and its path parameters;
worked out once per handler and kept in its ``opt``.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import Request
from litestar.constants import RESERVED_KWARGS
from litestar.exceptions import ValidationException

_QUERY_NAMES = "fintrack_query_names"  # handler opt: the memo


async def known_query_only(request: Request[Any, Any, Any]) -> None:
    if not request.query_params:
        return
    handler = request.route_handler
    allowed: frozenset[str] | None = handler.opt.get(_QUERY_NAMES)
    if allowed is None:
        allowed = handler.opt[_QUERY_NAMES] = _query_names(handler)
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise ValidationException(
            detail="unknown query parameters",
            extra=[
                {"key": name, "source": "query", "message": f"unknown query parameter `{name}`"}
                for name in unknown
            ],
        )


def _query_names(handler: Any) -> frozenset[str]:
    path_names = {name for path in handler.paths for name in _path_names(path)}
    return (
        frozenset(handler.parsed_fn_signature.parameters)
        - RESERVED_KWARGS
        - {"self"}
        - set(handler.resolve_dependencies())
        - path_names
    )


def _path_names(path: str) -> list[str]:
    return [part[1:-1].split(":")[0] for part in path.split("/") if part.startswith("{")]
