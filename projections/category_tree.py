"""The category tree: category rows plus a closure table (every ancestor-descendant pair).

With the closure, a category filter includes its subtree and totals roll up to every ancestor with
one indexed join at query time. A page that creates or moves categories recomputes the closure of
each owner it touches from that owner's parent links: households have tens of categories, so the
whole owner's closure is cheap, and a move of a subtree needs no special case.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol
from uuid import UUID

from domain.category import Category
from projections.envelope import Envelope
from projections.purge import purged_owners

NAME = "category_tree"
MAX_DEPTH = 64  # a guard against a cycle in corrupt input; the application allows 16 levels


@dataclass(frozen=True, slots=True)
class NewCategory:
    id: UUID
    owner_id: UUID
    name: str
    kind: str
    parent_id: UUID | None


class ParentLookup(Protocol):
    """Port: each given owner's stored categories, as category id -> parent id."""

    def parents(self, owner_ids: Collection[UUID]) -> Mapping[UUID, Mapping[UUID, UUID | None]]: ...


Closure = list[tuple[UUID, UUID, int]]  # (ancestor, descendant, depth); depth 0 is the node itself


@dataclass(slots=True)
class TreeChanges:
    purged: frozenset[UUID]
    created: list[NewCategory] = field(default_factory=list)
    renamed: dict[UUID, tuple[UUID, str]] = field(default_factory=dict)  # id -> (owner, name)
    moved: dict[UUID, UUID | None] = field(default_factory=dict)
    archived: set[UUID] = field(default_factory=set)
    closures: dict[UUID, Closure] = field(default_factory=dict)  # owner -> their whole closure


def fold_category_tree(page: Sequence[Envelope], lookup: ParentLookup) -> TreeChanges:
    purged = purged_owners(page)
    changes = TreeChanges(purged)
    reshaped: dict[UUID, dict[UUID, UUID | None]] = {}  # owner -> parent links set by this page
    for envelope in page:
        event = envelope.event
        if getattr(event, "owner_id", None) in purged:
            continue
        match event:
            case Category.Created():
                changes.created.append(
                    NewCategory(
                        event.originator_id, event.owner_id, event.name, event.kind, event.parent_id
                    )
                )
                reshaped.setdefault(event.owner_id, {})[event.originator_id] = event.parent_id
            case Category.Renamed():
                changes.renamed[event.originator_id] = (event.owner_id, event.name)
            case Category.Moved():
                changes.moved[event.originator_id] = event.parent_id
                reshaped.setdefault(event.owner_id, {})[event.originator_id] = event.parent_id
            case Category.Archived():
                changes.archived.add(event.originator_id)
    if reshaped:
        stored = lookup.parents(reshaped.keys())
        for owner_id, links in reshaped.items():
            parents = {**stored.get(owner_id, {}), **links}
            changes.closures[owner_id] = closure(parents)
    return changes


def closure(parents: Mapping[UUID, UUID | None]) -> Closure:
    """Every (ancestor, descendant, depth) of the forest given by ``parents``."""
    rows: Closure = []
    for node in parents:
        ancestor: UUID | None = node
        depth = 0
        while ancestor is not None and depth <= MAX_DEPTH:
            rows.append((ancestor, node, depth))
            ancestor = parents.get(ancestor)
            depth += 1
            if ancestor == node:
                break
    return rows
