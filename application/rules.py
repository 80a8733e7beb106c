"""Use cases for a user's categorisation rules (one ``RuleBook`` aggregate per user).

The book's id is derived from the owner's secret line key, like imported lines' ids, so its id
says nothing to someone holding only the database.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError

from application.command import CommandRunner, Outcome
from application.import_ports import LineKeys
from application.ledger import Ledger
from application.loading import load_owned
from domain.actor import Actor
from domain.category import Category
from domain.rule import InvalidRule, RuleBook, RuleNotFound, RuleSpec


@dataclass(frozen=True, slots=True)
class RuleInput:
    name: str
    contains: Mapping[str, str] = field(default_factory=dict)
    matches: Mapping[str, str] = field(default_factory=dict)
    amount_min: str | None = None
    amount_max: str | None = None
    account_id: UUID | None = None
    category_id: UUID | None = None
    tags: tuple[str, ...] = ()
    position: int | None = None  # 0 = tried first; None = last (or unchanged order on update)


class Rules:
    def __init__(self, ledger: Ledger, runner: CommandRunner, keys: LineKeys) -> None:
        self._ledger = ledger
        self._runner = runner
        self._keys = keys

    def list(self, user_id: UUID) -> tuple[RuleSpec, ...]:
        book = self._book(user_id)
        return () if book is None else book.rules

    def get(self, user_id: UUID, rule_id: UUID) -> RuleSpec:
        book = self._book(user_id)
        if book is None:
            raise RuleNotFound(rule_id)
        return book.rule(rule_id)

    def create(self, user_id: UUID, data: RuleInput) -> Outcome:
        return self._save(user_id, uuid4(), data)

    def update(self, user_id: UUID, rule_id: UUID, data: RuleInput) -> Outcome:
        self.get(user_id, rule_id)
        return self._save(user_id, rule_id, data)

    def delete(self, user_id: UUID, rule_id: UUID) -> Outcome:
        def command() -> list[RuleBook]:
            book = self._book_or_new(user_id)
            book.remove_rule(rule_id, actor=Actor.user(user_id))
            return [book]

        return self._runner.run(command, owner_id=user_id, answer={"id": str(rule_id)})

    def _save(self, user_id: UUID, rule_id: UUID, data: RuleInput) -> Outcome:
        spec = RuleSpec(
            id=rule_id,
            name=data.name,
            contains=dict(data.contains),
            matches=dict(data.matches),
            amount_min=_amount(data.amount_min, "amount_min"),
            amount_max=_amount(data.amount_max, "amount_max"),
            account_id=data.account_id,
            category_id=data.category_id,
            tags=data.tags,
        ).check()

        def command() -> list[RuleBook]:
            if spec.category_id is not None:
                category = load_owned(self._ledger, Category, spec.category_id, user_id)
                category.check_usable_by(user_id)
            book = self._book_or_new(user_id)
            position = data.position
            if position is None:
                ids = [r.id for r in book.rules]
                position = ids.index(rule_id) if rule_id in ids else None
            book.save_rule(spec, position=position, actor=Actor.user(user_id))
            return [book]

        return self._runner.run(command, owner_id=user_id, answer={"id": str(rule_id)})

    def book_id(self, user_id: UUID) -> UUID:
        digest = hmac.new(self._keys.key_for(user_id), b"rule book", hashlib.sha256).digest()
        return UUID(bytes=digest[:16])

    def _book(self, user_id: UUID) -> RuleBook | None:
        try:
            book: object = self._ledger.repository.get(self.book_id(user_id))
        except AggregateNotFoundError:
            return None
        if not isinstance(book, RuleBook) or book.owner_id != user_id:
            return None
        return book

    def _book_or_new(self, user_id: UUID) -> RuleBook:
        book = self._book(user_id)
        if book is None:
            book = RuleBook.open(
                id=self.book_id(user_id), owner_id=user_id, actor=Actor.user(user_id)
            )
        return book


def _amount(text: str | None, field_name: str) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise InvalidRule(f"{field_name} is not a decimal amount") from None
    if not value.is_finite():
        raise InvalidRule(f"{field_name} is not a decimal amount")
    return value
