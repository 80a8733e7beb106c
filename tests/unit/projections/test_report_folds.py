"""The pure folds of the report projections: given a page of events, the row changes."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from domain.account import Account
from domain.tombstone import Shredded
from domain.transaction import Transaction
from projections.balances import Posting, fold_balances
from projections.category_totals import Allotment, fold_category_totals
from projections.category_tree import closure
from projections.envelope import Envelope

OWNER = uuid4()
ACCOUNT = uuid4()


class FakePostingLookup:
    def __init__(self, known: dict[UUID, Posting]) -> None:
        self.known = known
        self.asked: list[set[UUID]] = []

    def postings(self, transaction_ids: Collection[UUID]) -> Mapping[UUID, Posting]:
        self.asked.append(set(transaction_ids))
        return {i: self.known[i] for i in transaction_ids if i in self.known}


class NoAllotments:
    def allotments(self, transaction_ids: Collection[UUID]) -> Mapping[UUID, Allotment]:
        return {}


def _event(cls: type, tx: UUID, version: int, **fields: object) -> object:
    return cls(originator_id=tx, originator_version=version, timestamp=datetime.now(UTC),
               owner_id=OWNER, actor="user:x", **fields)  # fmt: skip


def _recorded(tx: UUID, amount: str, day: date) -> object:
    recorded: Any = Transaction.Recorded
    return recorded(
        originator_id=tx, originator_version=1, timestamp=datetime.now(UTC),
        originator_topic="domain.transaction:Transaction", owner_id=OWNER, actor="user:x",
        account_id=ACCOUNT, amount=Decimal(amount), currency="EUR", booked_on=day,
        value_date=None, payee="", counterparty_name="", counterparty_iban=None,
        description="", notes="", category_id=None, tags=(), source="manual",
        external_reference=None,
    )  # fmt: skip


def test_an_amendment_moves_the_amount_between_days_with_one_lookup() -> None:
    tx = uuid4()
    known = {tx: Posting(OWNER, ACCOUNT, "EUR", date(2024, 1, 1), -1000, deleted=False)}
    lookup = FakePostingLookup(known)
    amended = {"amount": Decimal("-12.50"), "booked_on": date(2024, 1, 2)}
    page = [Envelope(9, _event(Transaction.Amended, tx, 2, changes=amended))]

    changes = fold_balances(page, lookup)

    assert lookup.asked == [{tx}]
    assert changes.daily == {
        (OWNER, ACCOUNT, date(2024, 1, 1)): 1000,
        (OWNER, ACCOUNT, date(2024, 1, 2)): -1250,
    }
    assert changes.balances == {(OWNER, ACCOUNT): -250}


def test_a_transaction_recorded_and_deleted_in_one_page_changes_no_balance() -> None:
    tx = uuid4()
    page = [Envelope(1, _recorded(tx, "-5.00", date(2024, 1, 1))),
            Envelope(2, _event(Transaction.Deleted, tx, 2))]  # fmt: skip

    changes = fold_balances(page, FakePostingLookup({}))

    assert changes.daily == {}
    assert changes.postings[tx].deleted


def test_a_tombstone_drops_the_owners_changes_and_purges_them() -> None:
    tx = uuid4()
    tombstone = Shredded(uuid4(), 1, datetime.now(UTC), "domain.user:User.Erased", OWNER)
    page = [Envelope(1, _recorded(tx, "-5.00", date(2024, 1, 1))), Envelope(2, tombstone)]

    changes = fold_category_totals(page, NoAllotments())

    assert changes.purged == {OWNER}
    assert changes.totals == {}


def test_the_closure_links_every_node_to_itself_and_each_ancestor() -> None:
    root, child, grandchild = uuid4(), uuid4(), uuid4()

    rows = closure({root: None, child: root, grandchild: child})

    assert sorted(rows, key=lambda r: (r[2], str(r[0]), str(r[1]))) == sorted(
        [(root, root, 0), (child, child, 0), (grandchild, grandchild, 0),
         (root, child, 1), (child, grandchild, 1), (root, grandchild, 2)],
        key=lambda r: (r[2], str(r[0]), str(r[1])),
    )  # fmt: skip


def test_account_opening_is_kept_in_minor_units() -> None:
    opened_class: Any = Account.Opened
    opened = opened_class(
        originator_id=ACCOUNT, originator_version=1, timestamp=datetime.now(UTC),
        originator_topic="domain.account:Account", owner_id=OWNER, actor="user:x", name="Main",
        kind="checking", currency="CZK", opening_balance=Decimal("1234.56"),
        opened_on=date(2024, 1, 1),
    )  # fmt: skip

    [account] = fold_balances([Envelope(1, opened)], FakePostingLookup({})).opened

    assert account.opening_minor == 123456
