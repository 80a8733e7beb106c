"""The transactions fold: a page of events becomes row changes, with one load per page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import uuid4

from domain.account import Account, AccountKind
from domain.actor import Actor
from domain.category import Category, CategoryKind
from domain.money import Money
from domain.split import SplitLine
from domain.tombstone import Shredded
from domain.transaction import Transaction
from projections.envelope import Envelope
from projections.transactions import TransactionChanges, fold_transactions
from tests.unit.projections.fakes import FakeTextProtector, FakeTransactionStore

OWNER = uuid4()
ACTOR = Actor.user(OWNER)


def _account() -> Account:
    return Account.open(
        id=uuid4(), owner_id=OWNER, name="Main", kind=AccountKind.CHECKING, currency="EUR",
        opening_balance=Money(Decimal("0"), "EUR"), opened_on=date(2024, 1, 1), actor=ACTOR,
    )  # fmt: skip


def _category(name: str = "Food") -> Category:
    return Category.create(
        id=uuid4(), owner_id=OWNER, name=name, kind=CategoryKind.EXPENSE, parent=None, actor=ACTOR
    )


def _transaction(payee: str = "Tesco", amount: str = "-12.34") -> Transaction:
    return Transaction.record(
        _account(), id=uuid4(), amount=Money(Decimal(amount), "EUR"), booked_on=date(2024, 3, 1),
        payee=payee, description="weekly shop", tags=("food",), actor=ACTOR,
    )  # fmt: skip


def _page(*aggregates: Transaction) -> list[Envelope]:
    events = [e for a in aggregates for e in a.collect_events()]
    return [Envelope(n + 1, e) for n, e in enumerate(events)]


def _fold(page: list[Envelope], store: FakeTransactionStore | None = None) -> TransactionChanges:
    return fold_transactions(page, store or FakeTransactionStore(), FakeTextProtector())


def test_a_recorded_transaction_becomes_one_row_with_sealed_text_and_search_terms() -> None:
    transaction = _transaction()
    changes = _fold(_page(transaction))
    (row,) = changes.upserts
    assert (row.amount, row.tags, row.position, row.deleted) == (
        Decimal("-12.34"),
        ("food",),
        1,
        False,
    )
    assert row.sealed["payee"] is not None
    assert row.sealed["payee"].endswith(b"|Tesco")
    assert b"rm_transactions.payee:" + transaction.id.bytes in row.sealed["payee"]
    assert {b"tes", b"tesco", b"wee", b"weekly", b"shop"} <= changes.terms_added[transaction.id][1]
    assert changes.terms_removed == {}
    assert changes.existing == frozenset()


def test_later_events_in_the_same_page_fold_onto_the_new_row_without_a_load() -> None:
    transaction = _transaction()
    transaction.amend(payee="Lidl", actor=ACTOR)
    transaction.tag("weekend", actor=ACTOR)
    transaction.delete(actor=ACTOR)
    store = FakeTransactionStore()
    (row,) = _fold(_page(transaction), store).upserts
    assert store.loads == []
    assert (row.tags, row.deleted, row.position) == (("food", "weekend"), True, 4)
    assert (row.sealed["payee"] or b"").endswith(b"|Lidl")


def test_a_change_to_an_earlier_transaction_loads_it_once_and_keeps_untouched_text() -> None:
    transaction = _transaction()
    first = _fold(_page(transaction))
    (stored,) = first.upserts
    payee_before = stored.sealed["payee"]
    transaction.amend(notes="with milk", amount=Money(Decimal("-1.00"), "EUR"), actor=ACTOR)
    store = FakeTransactionStore({transaction.id: stored})
    later = [Envelope(10, e) for e in transaction.collect_events()]
    protector = FakeTextProtector()
    changes = fold_transactions(later, store, protector)
    (row,) = changes.upserts
    assert store.loads == [{transaction.id}]
    assert changes.existing == {transaction.id}
    assert row.sealed["payee"] == payee_before
    sealed_fields = {context.split(b":")[0] for context in protector.sealed}
    assert sealed_fields == {b"rm_transactions.notes"}  # only the amended text is sealed anew
    assert (row.amount, row.position) == (Decimal("-1.00"), 10)
    added = frozenset({b"mil", b"milk", b"wit", b"with"})
    assert changes.terms_added == {transaction.id: (transaction.owner_id, added)}
    assert changes.terms_removed == {}  # the untouched payee keeps its terms


def test_amended_text_drops_the_terms_it_no_longer_has_and_adds_the_new_ones() -> None:
    transaction = _transaction()
    (stored,) = _fold(_page(transaction)).upserts
    transaction.amend(payee="Lidl", actor=ACTOR)
    store = FakeTransactionStore({transaction.id: stored})
    later = [Envelope(10, e) for e in transaction.collect_events()]
    changes = fold_transactions(later, store, FakeTextProtector())
    owner, removed = changes.terms_removed[transaction.id]
    assert owner == transaction.owner_id
    assert {b"tes", b"tesco"} <= removed
    assert not {b"wee", b"weekly", b"shop"} & removed  # the description kept them
    assert changes.terms_added == {transaction.id: (owner, frozenset({b"lid", b"lidl"}))}


def test_a_split_keeps_each_line_with_its_sealed_memo_and_clearing_it_removes_them() -> None:
    transaction = _transaction()
    food, home = _category("Food"), _category("Home")
    transaction.split(
        [SplitLine(food, Money(Decimal("-10.00"), "EUR"), "bread"),
         SplitLine(home, Money(Decimal("-2.34"), "EUR"), "")],
        actor=ACTOR,
    )  # fmt: skip
    (row,) = _fold(_page(transaction)).upserts
    assert [(line.category_id, line.amount) for line in row.splits] == [
        (food.id, Decimal("-10.00")),
        (home.id, Decimal("-2.34")),
    ]
    assert row.splits[0].memo.endswith(b"|bread")
    transaction.clear_split(actor=ACTOR)
    (cleared,) = _fold(_page(transaction), FakeTransactionStore({transaction.id: row})).upserts
    assert cleared.splits == ()


def test_a_shredded_owner_is_purged_and_none_of_their_page_is_written() -> None:
    transaction = _transaction()
    page = _page(transaction)
    tombstone = Shredded(uuid4(), 1, page[0].event.timestamp, "domain.user:User.Erased", OWNER)
    changes = _fold([*page, Envelope(99, tombstone)])
    assert changes.purged == {OWNER}
    assert changes.upserts == ()


def test_events_of_a_transaction_without_a_row_change_nothing() -> None:
    transaction = _transaction()
    transaction.collect_events()
    transaction.tag("late", actor=ACTOR)
    assert _fold(_page(transaction)).upserts == ()


def test_categorising_and_uncategorising_set_and_clear_the_category() -> None:
    transaction = _transaction()
    food = _category()
    transaction.categorise(food, actor=ACTOR)
    (row,) = _fold(_page(transaction)).upserts
    assert row.category_id == food.id
    transaction.uncategorise(actor=ACTOR)
    (row,) = _fold(_page(transaction), FakeTransactionStore({transaction.id: row})).upserts
    assert row.category_id is None
