"""``/api/v1/categories``: the tree, create, rename/move, archive."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any
from uuid import UUID

import msgspec
from litestar import Request, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from adapters.http.auth.tokens import Principal
from adapters.http.idempotency import idempotency_key
from adapters.http.ledger.common import (
    ID_EXAMPLE,
    QUERY_PROBLEMS,
    LedgerController,
    MinPosition,
    command_answers,
    command_out,
    user_id,
)
from adapters.http.ledger.schemas import CategoryOut, ChangeCategory, CommandOut, CreateCategory
from adapters.http.ledger.services import LedgerCommands, LedgerQueries
from adapters.http.openapi import answers
from adapters.readmodel.category_queries import category_tree
from application.command import Outcome
from domain.errors import RuleBroken
from projections.category_tree import NAME as CATEGORY_TREE

CATEGORY_EXAMPLE = {
    "id": ID_EXAMPLE,
    "name": "Groceries",
    "kind": "expense",
    "parent_id": "9b2e1c9e-6f4f-4a51-8a7e-1d6c1f0b2a11",
    "archived": False,
    "depth": 1,
}


class NothingToChange(RuleBroken):
    def __init__(self) -> None:
        super().__init__("give a new name, a new parent_id, or both")


class CategoryController(LedgerController):
    path = "/categories"
    tags = ["categories"]

    @get(
        operation_id="listCategories",
        summary="The category tree, parents before children",
        responses=answers(
            200, list[CategoryOut], [CATEGORY_EXAMPLE], description="The categories",
            problems=QUERY_PROBLEMS,
        ),
    )  # fmt: skip
    async def list_categories(
        self,
        *,
        request: Request[Principal, Any, Any],
        queries: NamedDependency[LedgerQueries],
        min_position: MinPosition = None,
    ) -> list[CategoryOut]:
        await queries.wait(min_position, [CATEGORY_TREE])
        nodes = await category_tree(queries.engine, queries.opener, user_id(request))
        return [
            CategoryOut(
                id=n.id,
                name=n.name,
                kind=n.kind,
                parent_id=n.parent_id,
                archived=n.archived,
                depth=n.depth,
            )
            for n in nodes
        ]

    @post(
        status_code=HTTP_201_CREATED,
        operation_id="createCategory",
        summary="Create a category, optionally under a parent",
        responses=command_answers("Created", 201),
    )
    async def create_category(
        self,
        *,
        data: JSONBody[CreateCategory],
        request: Request[Principal, Any, Any],
        commands: NamedDependency[LedgerCommands],
    ) -> CommandOut:
        outcome = await commands.run(
            commands.categories.create,
            user_id(request),
            name=data.name,
            kind=data.kind,
            parent_id=data.parent_id,
            idempotency_key=idempotency_key(request),
        )
        return command_out(outcome)

    @patch(
        "/{category_id:uuid}",
        operation_id="changeCategory",
        summary="Rename a category and/or move it under another parent",
        responses=command_answers("Changed"),
    )
    async def change_category(
        self,
        *,
        category_id: FromPath[UUID],
        data: JSONBody[ChangeCategory],
        request: Request[Principal, Any, Any],
        commands: NamedDependency[LedgerCommands],
    ) -> CommandOut:
        owner = user_id(request)
        name, parent_id = data.name, data.parent_id
        steps: list[Callable[[], Outcome]] = []
        if not isinstance(name, msgspec.UnsetType):
            steps.append(partial(commands.categories.rename, owner, category_id, name))
        if not isinstance(parent_id, msgspec.UnsetType):
            steps.append(partial(commands.categories.move, owner, category_id, parent_id))
        if not steps:
            raise NothingToChange

        def change() -> Outcome:
            return [step() for step in steps][-1]

        return command_out(await commands.run(change))

    @post(
        "/{category_id:uuid}/archive",
        status_code=HTTP_200_OK,
        operation_id="archiveCategory",
        summary="Archive a category (kept for history, refused for new transactions)",
        responses=command_answers("Archived"),
    )
    async def archive_category(
        self,
        *,
        category_id: FromPath[UUID],
        request: Request[Principal, Any, Any],
        commands: NamedDependency[LedgerCommands],
    ) -> CommandOut:
        return command_out(
            await commands.run(commands.categories.archive, user_id(request), category_id)
        )
