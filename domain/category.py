"""Category: a user's label for transactions, kept in a tree (groceries under household...)."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import event

from domain.actor import Actor
from domain.base import OwnedAggregate
from domain.errors import CategoryArchived, CategoryCycle, CategoryOfAnotherOwner
from domain.text import clean_name


class CategoryKind(StrEnum):
    INCOME = "income"
    EXPENSE = "expense"
    TRANSFER = "transfer"


class Category(OwnedAggregate):
    class Created(OwnedAggregate.Created):
        name: str
        kind: str
        parent_id: UUID | None

    class Renamed(OwnedAggregate.Event):
        name: str

    class Moved(OwnedAggregate.Event):
        parent_id: UUID | None

    class Archived(OwnedAggregate.Event):
        pass

    @classmethod
    def create(
        cls,
        *,
        id: UUID,
        owner_id: UUID,
        name: str,
        kind: CategoryKind,
        parent: Category | None = None,
        actor: Actor,
    ) -> Category:
        name = clean_name(name)
        if parent is not None:
            parent.check_usable_by(owner_id)
        return cls(
            id=id,
            owner_id=owner_id,
            name=name,
            kind=kind.value,
            parent_id=None if parent is None else parent.id,
            actor=str(actor),
        )

    @property
    def kind(self) -> CategoryKind:
        return CategoryKind(self._kind)

    def check_usable_by(self, owner_id: UUID) -> None:
        """Refuse this category as a transaction's category or a parent for ``owner_id``."""
        if self.owner_id != owner_id:
            raise CategoryOfAnotherOwner(self.id)
        if self.archived:
            raise CategoryArchived(self.id)

    def rename(self, name: str, *, actor: Actor) -> None:
        self._check_not_archived()
        self._renamed(name=clean_name(name), actor=str(actor))

    def move(self, *, parent: Category | None, ancestry: Sequence[UUID], actor: Actor) -> None:
        """Move under ``parent`` (``None``: to the root).

        ``ancestry`` is the ids from ``parent`` up to the root, which the caller reads from the
        other categories: this one cannot be among them, or the tree would become a cycle.
        """
        self._check_not_archived()
        if parent is not None:
            parent.check_usable_by(self.owner_id)
            if self.id == parent.id or self.id in ancestry:
                raise CategoryCycle(self.id, parent.id)
        self._moved(parent_id=None if parent is None else parent.id, actor=str(actor))

    def archive(self, *, actor: Actor) -> None:
        self._check_not_archived()
        self._archived(actor=str(actor))

    def _check_not_archived(self) -> None:
        if self.archived:
            raise CategoryArchived(self.id)

    @event(Created)
    def __init__(
        self, *, id: UUID, owner_id: UUID, name: str, kind: str, parent_id: UUID | None, actor: str
    ) -> None:
        super().__init__(owner_id)
        self.name = name
        self._kind = kind
        self.parent_id = parent_id
        self.archived = False

    @event(Renamed)
    def _renamed(self, name: str, actor: str) -> None:
        self.name = name

    @event(Moved)
    def _moved(self, parent_id: UUID | None, actor: str) -> None:
        self.parent_id = parent_id

    @event(Archived)
    def _archived(self, actor: str) -> None:
        self.archived = True
