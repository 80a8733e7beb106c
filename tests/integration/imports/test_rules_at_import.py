"""Rules categorise and tag newly imported lines, and never override a category set by hand."""

from __future__ import annotations

from uuid import UUID

from application.rules import RuleInput
from application.statement import CsvMapping
from domain.transaction import Transaction
from tests.integration.imports.conftest import World

MAPPING = CsvMapping(
    date_column="Date",
    amount_column="Amount",
    date_format="%Y-%m-%d",
    payee_column="Payee",
    reference_column="Reference",
)


def _csv(*rows: str) -> bytes:
    return ("Date,Amount,Payee,Reference\n" + "\n".join(rows) + "\n").encode()


def _category(world: World, name: str) -> UUID:
    outcome = world.runtime.categories.create(world.user_id, name=name, kind="expense")
    return UUID(outcome.answer["id"])


def _by_reference(world: World, reference: str) -> Transaction:
    for notification in world.runtime.ledger.recorder.select_notifications(1, 10_000):
        if notification.topic.endswith("Transaction.Recorded"):
            found: object = world.runtime.ledger.repository.get(
                UUID(str(notification.originator_id))
            )
            if isinstance(found, Transaction) and found.external_reference == reference:
                return found
    raise AssertionError(reference)


def test_rules_categorise_and_tag_new_imported_lines_in_order(sqlite_world: World) -> None:
    world = sqlite_world
    account = world.account()
    food, fuel = _category(world, "Food"), _category(world, "Fuel")
    rules = world.services.rules
    rules.create(
        world.user_id, RuleInput(name="shell", contains={"payee": "shell"}, category_id=fuel)
    )
    rules.create(
        world.user_id,
        RuleInput(name="groceries", matches={"payee": r"^(lidl|aldi)\b"}, category_id=food,
                  tags=("groceries",), amount_max="0"),
    )  # fmt: skip
    rules.create(world.user_id, RuleInput(name="any shop", amount_max="0", tags=("spending",)))
    statement = _csv(
        "2024-01-02,-40.00,SHELL 123,A",
        "2024-01-03,-12.30,Lidl Berlin,B",
        "2024-01-04,100.00,Lidl refund,C",
    )
    world.import_file(account, statement, mapping=MAPPING)
    shell, lidl, refund = (_by_reference(world, r) for r in "ABC")
    assert shell.category_id == fuel
    assert shell.tags == ("spending",)
    assert lidl.category_id == food
    assert lidl.tags == ("groceries", "spending")
    assert refund.category_id is None
    assert refund.tags == ()
    assert lidl.version == 4  # recorded by the import, then the rules' own events


def test_a_category_set_by_hand_is_never_overridden_by_a_rule(sqlite_world: World) -> None:
    world = sqlite_world
    account = world.account()
    food, hobby = _category(world, "Food"), _category(world, "Hobby")
    world.import_file(account, _csv("2024-01-02,-40.00,Lidl,A"), mapping=MAPPING)
    lidl = _by_reference(world, "A")
    world.runtime.transactions.categorise(world.user_id, lidl.id, hobby)
    world.services.rules.create(
        world.user_id, RuleInput(name="lidl", contains={"payee": "lidl"}, category_id=food)
    )
    world.import_file(account, _csv("2024-01-02,-40.00,Lidl,A", "2024-01-05,-9.00,Lidl,B"),
                      mapping=MAPPING)  # fmt: skip
    assert _by_reference(world, "A").category_id == hobby
    assert _by_reference(world, "B").category_id == food
