"""Categorisation rules: one ``RuleBook`` per user, its rules applied to newly imported lines.

A rule's conditions all have to hold (payee / description / counterparty contains a text or
matches a bounded pattern, amount in a range, a given account). Rules are tried in their order:
the first matching rule with a category sets it; every matching rule adds its tags. Rules touch
only lines recorded by an import, so a category set by hand is never overridden.

Patterns are Python regular expressions, which have no timeout; so they are short, may not use
backreferences or lookarounds, and may not nest quantifiers (``(a+)+``), the usual shapes of
catastrophic backtracking, and they run on text of bounded length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.actor import Actor
from domain.base import OwnedAggregate
from domain.errors import NotFound, RuleBroken
from domain.text import clean_tags

MAX_RULES = 500
MAX_PATTERN = 200
MAX_NEEDLE = 200
MAX_SUBJECT = 1000  # characters of a field a pattern sees
TEXT_FIELDS = ("payee", "description", "counterparty")
_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[*+}](?:[^()\\]|\\.)*\)\s*[*+{?]")
_FORBIDDEN = re.compile(r"\\[1-9]|\(\?[=!<P]|\(\?\(")


class InvalidRule(RuleBroken):
    def __init__(self, reason: str) -> None:
        super().__init__(f"rule refused: {reason}")


class RuleNotFound(NotFound):
    def __init__(self, rule_id: UUID) -> None:
        super().__init__(f"rule {rule_id} not found")


@dataclass(frozen=True, slots=True)
class LineFacts:
    """What a rule looks at in an imported line."""

    account_id: UUID
    amount: Decimal
    payee: str
    description: str
    counterparty: str


@dataclass(frozen=True, slots=True)
class RuleSpec:
    id: UUID
    name: str
    contains: Mapping[str, str]  # field -> text it must contain (case-insensitive)
    matches: Mapping[str, str]  # field -> pattern it must match (re.search, case-insensitive)
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    account_id: UUID | None = None
    category_id: UUID | None = None
    tags: tuple[str, ...] = ()

    def check(self) -> RuleSpec:
        """This rule, cleaned; ``InvalidRule`` if it could never be used safely."""
        if not self.name.strip() or len(self.name) > 100:
            raise InvalidRule("a name of 1 to 100 characters is required")
        for field in (*self.contains, *self.matches):
            if field not in TEXT_FIELDS:
                raise InvalidRule(f"unknown field {field!r} (use {', '.join(TEXT_FIELDS)})")
        for needle in self.contains.values():
            if not needle.strip() or len(needle) > MAX_NEEDLE:
                raise InvalidRule(f"a 'contains' text has 1 to {MAX_NEEDLE} characters")
        for pattern in self.matches.values():
            compile_pattern(pattern)
        if (
            self.amount_min is not None
            and self.amount_max is not None
            and self.amount_min > self.amount_max
        ):
            raise InvalidRule("amount_min is above amount_max")
        if not (self.contains or self.matches or self.amount_min is not None
                or self.amount_max is not None or self.account_id is not None):  # fmt: skip
            raise InvalidRule("a rule needs at least one condition")
        if self.category_id is None and not self.tags:
            raise InvalidRule("a rule needs a category or tags to set")
        return RuleSpec(
            id=self.id,
            name=self.name.strip(),
            contains={f: n.strip().casefold() for f, n in self.contains.items()},
            matches=dict(self.matches),
            amount_min=self.amount_min,
            amount_max=self.amount_max,
            account_id=self.account_id,
            category_id=self.category_id,
            tags=clean_tags(self.tags),
        )

    def applies_to(self, line: LineFacts) -> bool:
        if self.account_id is not None and line.account_id != self.account_id:
            return False
        if self.amount_min is not None and line.amount < self.amount_min:
            return False
        if self.amount_max is not None and line.amount > self.amount_max:
            return False
        for field, needle in self.contains.items():
            if needle not in _subject(line, field).casefold():
                return False
        return all(
            compile_pattern(pattern).search(_subject(line, field)) is not None
            for field, pattern in self.matches.items()
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "contains": dict(self.contains),
            "matches": dict(self.matches),
            "amount_min": None if self.amount_min is None else str(self.amount_min),
            "amount_max": None if self.amount_max is None else str(self.amount_max),
            "account_id": self.account_id,
            "category_id": self.category_id,
            "tags": list(self.tags),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RuleSpec:
        return cls(
            id=_uuid(data["id"]),
            name=data["name"],
            contains=dict(data["contains"]),
            matches=dict(data["matches"]),
            amount_min=_decimal(data["amount_min"]),
            amount_max=_decimal(data["amount_max"]),
            account_id=_uuid(data["account_id"]),
            category_id=_uuid(data["category_id"]),
            tags=tuple(data["tags"]),
        )


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the rules decide for one line: the category (and the rule that set it), tags."""

    category_id: UUID | None = None
    category_rule: UUID | None = None
    tags: tuple[tuple[str, UUID], ...] = ()  # (tag, rule that added it)


def decide(rules: Iterable[RuleSpec], line: LineFacts) -> Verdict:
    category_id = category_rule = None
    tags: dict[str, UUID] = {}
    for rule in rules:
        if not rule.applies_to(line):
            continue
        if category_id is None and rule.category_id is not None:
            category_id, category_rule = rule.category_id, rule.id
        for tag in rule.tags:
            tags.setdefault(tag, rule.id)
    return Verdict(category_id, category_rule, tuple(tags.items()))


@lru_cache(maxsize=1024)
def compile_pattern(pattern: str) -> re.Pattern[str]:
    if not pattern or len(pattern) > MAX_PATTERN:
        raise InvalidRule(f"a pattern has 1 to {MAX_PATTERN} characters")
    if _FORBIDDEN.search(pattern):
        raise InvalidRule("backreferences and lookarounds are not allowed in patterns")
    if _NESTED_QUANTIFIER.search(pattern):
        raise InvalidRule("nested repetition such as (a+)+ is not allowed in patterns")
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as error:
        raise InvalidRule(f"not a valid pattern: {error}") from None


class RuleBook(OwnedAggregate):
    class Opened(OwnedAggregate.Created):
        pass

    class RuleSaved(OwnedAggregate.Event):
        rule: dict[str, Any]
        position: int

    class RuleRemoved(OwnedAggregate.Event):
        rule_id: UUID

    @classmethod
    def open(cls, *, id: UUID, owner_id: UUID, actor: Actor) -> RuleBook:
        return cls(id=id, owner_id=owner_id, actor=str(actor))

    @property
    def rules(self) -> tuple[RuleSpec, ...]:
        return tuple(RuleSpec.from_dict(r) for r in self._rules)

    def rule(self, rule_id: UUID) -> RuleSpec:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise RuleNotFound(rule_id)

    def save_rule(self, rule: RuleSpec, *, position: int | None = None, actor: Actor) -> None:
        """Add ``rule`` or replace the rule with its id; ``position`` (0 = first) orders it."""
        rule = rule.check()
        others = [r for r in self._rules if _uuid(r["id"]) != rule.id]
        if len(others) >= MAX_RULES:
            raise InvalidRule(f"at most {MAX_RULES} rules")
        at = len(others) if position is None else max(0, min(position, len(others)))
        self._rule_saved(rule=rule.to_dict(), position=at, actor=str(actor))

    def remove_rule(self, rule_id: UUID, *, actor: Actor) -> None:
        self.rule(rule_id)
        self._rule_removed(rule_id=rule_id, actor=str(actor))

    @event(Opened)
    def __init__(self, *, id: UUID, owner_id: UUID, actor: str) -> None:
        super().__init__(owner_id)
        self._rules: Sequence[dict[str, Any]] = ()

    @event(RuleSaved)
    def _rule_saved(self, rule: dict[str, Any], position: int, actor: str) -> None:
        others = [r for r in self._rules if _uuid(r["id"]) != _uuid(rule["id"])]
        others.insert(position, rule)
        self._rules = tuple(others)

    @event(RuleRemoved)
    def _rule_removed(self, rule_id: UUID, actor: str) -> None:
        self._rules = tuple(r for r in self._rules if _uuid(r["id"]) != rule_id)


def _subject(line: LineFacts, field: str) -> str:
    text: str = getattr(line, field)
    return text[:MAX_SUBJECT]


def _uuid(value: Any) -> Any:
    return value if value is None or isinstance(value, UUID) else UUID(str(value))


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise InvalidRule(f"not an amount: {value!r}") from None
