"""Use cases for the category tree: create, rename, move, archive."""

from __future__ import annotations

from uuid import UUID, uuid4

from application.command import CommandRunner, Outcome, request_hash
from application.errors import choice
from application.ledger import Ledger
from application.loading import load_owned
from domain.actor import Actor
from domain.category import Category, CategoryKind
from domain.errors import RuleBroken

MAX_DEPTH = 16  # deep enough for any household; bounds the ancestry walk of a move


class CategoryTreeTooDeep(RuleBroken):
    def __init__(self) -> None:
        super().__init__(f"categories nest at most {MAX_DEPTH} levels deep")


class Categories:
    def __init__(self, ledger: Ledger, runner: CommandRunner) -> None:
        self._ledger = ledger
        self._runner = runner

    def create(
        self,
        user_id: UUID,
        *,
        name: str,
        kind: str,
        parent_id: UUID | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome:
        category_id = uuid4()
        category_kind = choice(CategoryKind, kind, field="kind")

        def command() -> list[Category]:
            parent = self._parent(user_id, parent_id)
            if parent is not None:
                self._ancestry(user_id, parent)  # refuses a tree that would grow too deep
            return [
                Category.create(
                    id=category_id,
                    owner_id=user_id,
                    name=name,
                    kind=category_kind,
                    parent=parent,
                    actor=Actor.user(user_id),
                )
            ]

        return self._runner.run(
            command,
            owner_id=user_id,
            answer={"id": str(category_id)},
            idempotency_key=idempotency_key,
            fingerprint=lambda: request_hash(
                op="create_category", name=name, kind=kind, parent=parent_id
            ),
        )

    def rename(self, user_id: UUID, category_id: UUID, name: str) -> Outcome:
        def command() -> list[Category]:
            category = load_owned(self._ledger, Category, category_id, user_id)
            category.rename(name, actor=Actor.user(user_id))
            return [category]

        return self._runner.run(command, owner_id=user_id, answer={"id": str(category_id)})

    def move(self, user_id: UUID, category_id: UUID, parent_id: UUID | None) -> Outcome:
        def command() -> list[Category]:
            category = load_owned(self._ledger, Category, category_id, user_id)
            parent = self._parent(user_id, parent_id)
            ancestry = [] if parent is None else self._ancestry(user_id, parent)
            category.move(parent=parent, ancestry=ancestry, actor=Actor.user(user_id))
            return [category]

        return self._runner.run(command, owner_id=user_id, answer={"id": str(category_id)})

    def archive(self, user_id: UUID, category_id: UUID) -> Outcome:
        def command() -> list[Category]:
            category = load_owned(self._ledger, Category, category_id, user_id)
            category.archive(actor=Actor.user(user_id))
            return [category]

        return self._runner.run(command, owner_id=user_id, answer={"id": str(category_id)})

    def _parent(self, user_id: UUID, parent_id: UUID | None) -> Category | None:
        if parent_id is None:
            return None
        return load_owned(self._ledger, Category, parent_id, user_id)

    def _ancestry(self, user_id: UUID, parent: Category) -> list[UUID]:
        """Ids from ``parent`` up to its root. A cycle already in the log cannot loop forever."""
        ancestry = [parent.id]
        current = parent
        while current.parent_id is not None:
            if len(ancestry) >= MAX_DEPTH or current.parent_id in ancestry:
                raise CategoryTreeTooDeep
            current = load_owned(self._ledger, Category, current.parent_id, user_id)
            ancestry.append(current.id)
        return ancestry
