from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from domain.actor import Actor
from domain.category import Category, CategoryKind
from domain.errors import CategoryArchived, CategoryCycle, CategoryOfAnotherOwner, InvalidText
from tests.unit.domain.builders import make_category


def test_creating_under_a_parent_records_the_parent(owner_id: UUID, actor: Actor) -> None:
    parent = make_category(owner_id, "Household")

    child = Category.create(
        id=uuid4(),
        owner_id=owner_id,
        name="Cleaning",
        kind=CategoryKind.EXPENSE,
        parent=parent,
        actor=actor,
    )

    [created] = child.collect_events()
    assert isinstance(created, Category.Created)
    assert (created.parent_id, created.kind) == (parent.id, "expense")


def test_creating_under_a_parent_of_another_owner_is_refused(owner_id: UUID, actor: Actor) -> None:
    strangers = make_category(uuid4())

    with pytest.raises(CategoryOfAnotherOwner):
        Category.create(
            id=uuid4(),
            owner_id=owner_id,
            name="Mine",
            kind=CategoryKind.EXPENSE,
            parent=strangers,
            actor=actor,
        )


def test_creating_with_a_name_too_long_is_refused(owner_id: UUID, actor: Actor) -> None:
    with pytest.raises(InvalidText):
        Category.create(
            id=uuid4(), owner_id=owner_id, name="n" * 201, kind=CategoryKind.INCOME, actor=actor
        )


def test_moving_under_another_category_records_the_move(owner_id: UUID, actor: Actor) -> None:
    category, parent = make_category(owner_id), make_category(owner_id, "Household")

    category.move(parent=parent, ancestry=(parent.id,), actor=actor)

    [moved] = category.collect_events()
    assert isinstance(moved, Category.Moved)
    assert category.parent_id == parent.id


def test_moving_to_the_root_clears_the_parent(owner_id: UUID, actor: Actor) -> None:
    category, parent = make_category(owner_id), make_category(owner_id, "Household")
    category.move(parent=parent, ancestry=(parent.id,), actor=actor)

    category.move(parent=None, ancestry=(), actor=actor)

    assert category.parent_id is None


def test_a_category_cannot_be_its_own_parent(category: Category, actor: Actor) -> None:
    with pytest.raises(CategoryCycle):
        category.move(parent=category, ancestry=(category.id,), actor=actor)


def test_moving_under_a_child_is_refused(owner_id: UUID, actor: Actor) -> None:
    top, child = make_category(owner_id, "Top"), make_category(owner_id, "Child")
    child.move(parent=top, ancestry=(top.id,), actor=actor)

    with pytest.raises(CategoryCycle):
        top.move(parent=child, ancestry=(child.id, top.id), actor=actor)


def test_moving_under_a_deep_descendant_is_refused(owner_id: UUID, actor: Actor) -> None:
    top = make_category(owner_id, "Top")
    deep = make_category(owner_id, "Deep")
    middle_ids = tuple(uuid4() for _ in range(5))  # the chain between them, nearest first

    with pytest.raises(CategoryCycle):
        top.move(parent=deep, ancestry=(deep.id, *middle_ids, top.id), actor=actor)


def test_moving_under_a_category_of_another_owner_is_refused(
    category: Category, actor: Actor
) -> None:
    strangers = make_category(uuid4())

    with pytest.raises(CategoryOfAnotherOwner):
        category.move(parent=strangers, ancestry=(strangers.id,), actor=actor)


def test_moving_under_an_archived_category_is_refused(owner_id: UUID, actor: Actor) -> None:
    category, parent = make_category(owner_id), make_category(owner_id, "Old")
    parent.archive(actor=actor)

    with pytest.raises(CategoryArchived):
        category.move(parent=parent, ancestry=(parent.id,), actor=actor)


def test_renaming_records_the_new_name(category: Category, actor: Actor) -> None:
    category.rename("Food", actor=actor)

    [renamed] = category.collect_events()
    assert isinstance(renamed, Category.Renamed)
    assert category.name == "Food"


def test_an_archived_category_refuses_renaming(category: Category, actor: Actor) -> None:
    category.archive(actor=actor)

    with pytest.raises(CategoryArchived):
        category.rename("Food", actor=actor)


def test_archiving_twice_is_refused(category: Category, actor: Actor) -> None:
    category.archive(actor=actor)

    with pytest.raises(CategoryArchived):
        category.archive(actor=actor)
