"""Builders for aggregates a test needs several of."""

from __future__ import annotations

from uuid import UUID, uuid4

from domain.actor import Actor
from domain.category import Category, CategoryKind


def make_category(owner_id: UUID, name: str = "Groceries") -> Category:
    """A category of ``owner_id``, its creation event already collected."""
    category = Category.create(
        id=uuid4(),
        owner_id=owner_id,
        name=name,
        kind=CategoryKind.EXPENSE,
        actor=Actor.user(owner_id),
    )
    category.collect_events()
    return category
