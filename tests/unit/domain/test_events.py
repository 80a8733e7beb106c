"""Rules every event of every aggregate keeps: the encryption layer, the audit history and the JSON
transcoder depend on them."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID, uuid4

import pytest
from eventsourcing.domain import Aggregate, CanMutateAggregate

import domain
from domain.account import Account, AccountKind
from domain.actor import Actor
from domain.base import OwnedAggregate
from domain.category import Category
from domain.money import Money
from domain.split import SplitLine
from domain.transaction import Transaction
from domain.user import User
from tests.unit.domain.builders import make_category

PLAIN_TYPES = (str, int, bool, type(None), UUID, Decimal, date, datetime)


def domain_aggregates() -> list[type[Aggregate]]:
    """Every aggregate class defined in a module of the ``domain`` package."""
    modules = [
        importlib.import_module(info.name)
        for info in pkgutil.iter_modules(domain.__path__, f"{domain.__name__}.")
    ]
    return [
        cls
        for module in modules
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, Aggregate) and cls.__module__ == module.__name__
    ]


def event_classes(aggregate: type[Aggregate]) -> list[type[CanMutateAggregate[UUID]]]:
    return [
        value
        for value in vars(aggregate).values()
        if isinstance(value, type) and issubclass(value, CanMutateAggregate)
    ]


def is_plain(value: object) -> bool:
    if isinstance(value, PLAIN_TYPES):
        return True
    if isinstance(value, tuple | list):
        return all(is_plain(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and is_plain(v) for k, v in value.items())
    return False


Recorded = list[tuple[OwnedAggregate, Sequence[CanMutateAggregate[UUID]]]]


def every_command(owner_id: UUID) -> Recorded:
    """Each aggregate after every one of its commands, with the events they recorded."""
    actor = Actor.user(owner_id)
    user = User.register(id=owner_id, email="a@example.org", password_hash="h", actor=actor)
    user.change_password("h2", actor=actor)
    user.mark_welcomed(actor=actor)
    user.erase(actor=actor)

    category = Category.create(
        id=uuid4(), owner_id=owner_id, name="Food", kind=make_category(owner_id).kind, actor=actor
    )
    parent = make_category(owner_id, "Household")
    category.rename("Groceries", actor=actor)
    category.move(parent=parent, ancestry=(parent.id,), actor=actor)

    account = Account.open(
        id=uuid4(),
        owner_id=owner_id,
        name="Current",
        kind=AccountKind.CHECKING,
        currency="EUR",
        opening_balance=Money.parse("1", "EUR"),
        opened_on=date(2024, 1, 1),
        actor=actor,
    )
    transaction = Transaction.record(
        account,
        id=uuid4(),
        amount=Money.parse("-3", "EUR"),
        booked_on=date(2024, 1, 2),
        tags=["a"],
        actor=actor,
    )
    transaction.amend(amount=Money.parse("-2", "EUR"), value_date=date(2024, 1, 3), actor=actor)
    transaction.categorise(category, actor=actor)
    transaction.uncategorise(actor=actor)
    transaction.tag("b", actor=actor)
    transaction.untag("a", actor=actor)
    transaction.split([SplitLine(category, Money.parse("-2", "EUR"), "memo")], actor=actor)
    transaction.clear_split(actor=actor)
    transaction.propose_change({"amount": Decimal("-3")}, actor=actor)
    transaction.delete(actor=actor)
    transaction.restore(actor=actor)
    category.archive(actor=actor)

    account.rename("Daily", actor=actor)
    account.close(actor=actor)
    account.reopen(actor=actor)
    aggregates: list[OwnedAggregate] = [user, category, account, transaction]
    return [(aggregate, aggregate.collect_events()) for aggregate in aggregates]


@pytest.fixture
def recorded() -> Recorded:
    return every_command(uuid4())


def test_every_aggregate_of_the_domain_is_found() -> None:
    assert {Account, Category, Transaction, User} <= set(domain_aggregates())


@pytest.mark.parametrize("aggregate", domain_aggregates(), ids=lambda cls: cls.__name__)
def test_every_event_class_declares_owner_id_and_actor(aggregate: type[Aggregate]) -> None:
    for event_class in event_classes(aggregate):
        assert dataclasses.is_dataclass(event_class)
        fields = {field.name: field for field in dataclasses.fields(event_class)}
        assert {"owner_id", "actor"} <= fields.keys(), event_class.__qualname__
        assert fields["owner_id"].default is dataclasses.MISSING, event_class.__qualname__


def test_every_event_names_the_owner_and_the_actor(
    recorded: Recorded,
) -> None:
    for aggregate, events in recorded:
        for event in events:
            assert isinstance(event, OwnedAggregate.Event)
            assert event.owner_id == aggregate.owner_id
            assert Actor.parse(event.actor) == Actor.user(aggregate.owner_id)


def test_the_scenario_records_every_kind_of_event(
    recorded: Recorded,
) -> None:
    for aggregate, events in recorded:
        triggered = {type(event) for event in events}
        # Base classes and unused "Created" defaults are never triggered.
        declared = {
            cls
            for cls in event_classes(type(aggregate))
            if cls.__name__ not in {"Event", "Created"} or cls in triggered
        }
        assert triggered == declared, type(aggregate).__name__


def test_event_payloads_hold_only_plain_values(
    recorded: Recorded,
) -> None:
    for _, events in recorded:
        for event in events:
            assert isinstance(event, OwnedAggregate.Event)
            payload = {f.name: getattr(event, f.name) for f in dataclasses.fields(event)}
            assert is_plain(payload), event


def test_replaying_the_events_rebuilds_the_same_aggregate(
    recorded: Recorded,
) -> None:
    for aggregate, events in recorded:
        rebuilt: OwnedAggregate | None = None
        for event in events:
            rebuilt = event.mutate(rebuilt)
        assert rebuilt == aggregate
