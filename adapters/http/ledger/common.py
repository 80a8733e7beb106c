"""What every ledger controller shares: the caller's id, ``min_position``, examples, mapping."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller
from litestar.connection import Request
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import QueryParameter

from adapters.http.auth.tokens import Principal
from adapters.http.known_query import known_query_only
from adapters.http.ledger.schemas import CommandOut
from adapters.http.openapi import answers
from application.command import Outcome
from domain.money import Money

MinPosition = Annotated[
    int | None,
    QueryParameter(
        ge=0,
        le=2**63 - 1,
        description="Wait (up to ~2 s) until the views reflect this log position; else 503.",
    ),
]
ID_EXAMPLE = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
COMMAND_EXAMPLE = {"id": ID_EXAMPLE, "position": 1234}
COMMAND_PROBLEMS = (400, 401, 403, 404, 409, 422)
QUERY_PROBLEMS = (400, 401, 404, 422, 503)


def command_answers(description: str, status: int = 200) -> dict[int, ResponseSpec]:
    """The OpenAPI answers of a command: its ``CommandOut`` (id and log position) or a problem."""
    return answers(
        status, CommandOut, COMMAND_EXAMPLE, description=description, problems=COMMAND_PROBLEMS
    )


def user_id(request: Request[Principal, Any, Any]) -> UUID:
    return request.user.user_id


def command_out(outcome: Outcome) -> CommandOut:
    return CommandOut(id=UUID(str(outcome.answer["id"])), position=outcome.position)


def amount(money: Money) -> str:
    return str(money.amount)


class LedgerController(Controller):
    """The ledger's controllers: their queries take many filters, so an unknown one is refused."""

    before_request = staticmethod(known_query_only)
