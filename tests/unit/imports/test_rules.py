"""Rules: conditions, order, and patterns that could never backtrack catastrophically."""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

import pytest

from domain.actor import Actor
from domain.rule import InvalidRule, LineFacts, RuleBook, RuleSpec, compile_pattern, decide

ACCOUNT = uuid4()


def _line(payee: str = "Lidl Berlin", amount: str = "-12.30") -> LineFacts:
    return LineFacts(ACCOUNT, Decimal(amount), payee, "card payment", "")


def _rule(**fields: object) -> RuleSpec:
    base: dict[str, object] = {"id": uuid4(), "name": "r", "contains": {}, "matches": {}}
    return RuleSpec(**(base | fields)).check()  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "pattern", ["(a+)+$", "(a*)*b", r"(\w+\s?)+x", r"(a)\1", "(?=a)a", "x" * 201]
)
def test_patterns_that_could_backtrack_or_are_too_long_are_refused(pattern: str) -> None:
    with pytest.raises(InvalidRule):
        compile_pattern(pattern)


def test_a_bounded_pattern_is_accepted_and_case_insensitive() -> None:
    assert compile_pattern(r"^(lidl|aldi)\b").search("LIDL Berlin")


def test_the_first_matching_rule_sets_the_category_and_every_match_adds_tags() -> None:
    food, other = uuid4(), uuid4()
    rules = [
        _rule(contains={"payee": "lidl"}, category_id=food, tags=("groceries",)),
        _rule(amount_max=Decimal(0), category_id=other, tags=("spending",)),
    ]
    verdict = decide(rules, _line())
    assert verdict.category_id == food
    assert verdict.category_rule == rules[0].id
    assert [t for t, _ in verdict.tags] == ["groceries", "spending"]


def test_every_condition_must_hold() -> None:
    rule = _rule(contains={"payee": "lidl"}, amount_min=Decimal("-10"), tags=("x",))
    assert decide([rule], _line(amount="-12.30")).tags == ()
    assert decide([rule], _line(amount="-9.00")).tags != ()


def test_a_rule_without_a_condition_or_an_effect_is_refused() -> None:
    with pytest.raises(InvalidRule):
        _rule(tags=("x",))
    with pytest.raises(InvalidRule):
        _rule(contains={"payee": "x"})


def test_a_rule_book_keeps_rules_in_the_order_asked_for() -> None:
    owner = uuid4()
    book = RuleBook.open(id=uuid4(), owner_id=owner, actor=Actor.user(owner))
    first, second = (
        _rule(name="a", tags=("a",), contains={"payee": "a"}),
        _rule(name="b", tags=("b",), contains={"payee": "b"}),
    )
    book.save_rule(first, actor=Actor.user(owner))
    book.save_rule(second, position=0, actor=Actor.user(owner))
    assert [r.name for r in book.rules] == ["b", "a"]
    book.remove_rule(second.id, actor=Actor.user(owner))
    assert [r.name for r in book.rules] == ["a"]
