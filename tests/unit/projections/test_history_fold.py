"""The history fold: one sealed entry per transaction event, with only what the event set."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from uuid import uuid4

from domain.account import Account, AccountKind
from domain.actor import Actor
from domain.money import Money
from domain.transaction import Transaction
from projections.envelope import Envelope
from projections.history import changes_context, fold_history
from tests.unit.projections.fakes import FakeTextProtector

OWNER = uuid4()
ACTOR = Actor.user(OWNER)


def _transaction() -> Transaction:
    account = Account.open(
        id=uuid4(), owner_id=OWNER, name="Main", kind=AccountKind.CASH, currency="EUR",
        opening_balance=Money(Decimal("0"), "EUR"), opened_on=date(2024, 1, 1), actor=ACTOR,
    )  # fmt: skip
    return Transaction.record(
        account, id=uuid4(), amount=Money(Decimal("-5.00"), "EUR"), booked_on=date(2024, 3, 1),
        payee="Kiosk", actor=ACTOR,
    )  # fmt: skip


def test_each_event_becomes_an_entry_with_its_actor_time_and_sealed_changes() -> None:
    transaction = _transaction()
    transaction.amend(notes="gum", actor=ACTOR)
    transaction.delete(actor=ACTOR)
    page = [Envelope(n + 7, e) for n, e in enumerate(transaction.collect_events())]
    protector = FakeTextProtector()
    rows = fold_history(page, protector).rows
    assert [(r.event, r.position, r.actor) for r in rows] == [
        ("Recorded", 7, str(ACTOR)),
        ("Amended", 8, str(ACTOR)),
        ("Deleted", 9, str(ACTOR)),
    ]
    opened = protector.open(OWNER, rows[1].changes, changes_context(transaction.id, 8))
    assert opened is not None
    assert json.loads(opened) == {"notes": "gum"}
    recorded = protector.open(OWNER, rows[0].changes, changes_context(transaction.id, 7))
    assert recorded is not None
    assert json.loads(recorded)["amount"] == "-5.00"
    assert "owner_id" not in json.loads(recorded)
