"""The transactions list: filters, sorting, keyset pages, text search, get, history, bad input."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from application.transactions import SplitRequest
from ops.bootstrap import Runtime
from projections.errors import InvalidQuery, ViewNotFound
from projections.transaction_views import TransactionFilters, TransactionSort
from tests.integration.readmodel.conftest import Reads
from tests.integration.readmodel.read_runtime import new_user, open_account, projector, record


@dataclass
class Book:
    user: UUID
    eur: UUID
    jpy: UUID
    food: UUID
    groceries: UUID
    rent: UUID
    ids: dict[str, UUID]


@pytest.fixture(scope="module")
def runtime(shared_runtime: Runtime) -> Runtime:
    return shared_runtime  # this module's tests only add to the data: they share one database


@pytest.fixture(scope="module")
def reads(shared_reads: Reads) -> Reads:
    return shared_reads


@pytest.fixture(scope="module")
def book(runtime: Runtime) -> Book:
    user = new_user(runtime)
    eur = open_account(runtime, user, "EUR", "Checking")
    jpy = open_account(runtime, user, "JPY", "Yen wallet")
    cats = runtime.categories
    food = UUID(cats.create(user, name="Food", kind="expense").answer["id"])
    groceries = UUID(
        cats.create(user, name="Groceries", kind="expense", parent_id=food).answer["id"]
    )
    rent = UUID(cats.create(user, name="Rent", kind="expense").answer["id"])
    ids = {
        "tesco": record(runtime, user, eur, "-25.10", date(2024, 3, 1), payee="Tesco Stores",
                        category_id=groceries, tags=("weekly",)),
        "cafe": record(runtime, user, eur, "-4.50", date(2024, 3, 2), payee="Café Crème",
                       description="flat white", category_id=food),
        "rent": record(runtime, user, eur, "-900.00", date(2024, 3, 3), payee="Landlord Ltd",
                       category_id=rent, value_date=date(2024, 3, 5)),
        "salary": record(runtime, user, eur, "3000.00", date(2024, 3, 25), payee="ACME Payroll",
                         counterparty_iban="DE89 3704 0044 0532 0130 00", source="import"),
        "sushi": record(runtime, user, jpy, "-1500", date(2024, 3, 4), payee="Sushi Dai",
                        tags=("weekly", "treat")),
        "gone": record(runtime, user, eur, "-1.00", date(2024, 3, 6), payee="Deleted Shop"),
    }  # fmt: skip
    runtime.transactions.delete(user, ids["gone"])
    projector(runtime).catch_up()
    return Book(user, eur, jpy, food, groceries, rent, ids)


def _names(reads: Reads, book: Book, **kwargs: object) -> list[str]:
    page = reads.run(reads.queries.list_transactions(book.user, **kwargs))  # type: ignore[arg-type]
    by_id = {v: k for k, v in book.ids.items()}
    return [by_id[item.id] for item in page.items]


def test_the_list_is_newest_first_and_leaves_deleted_transactions_out(
    reads: Reads, book: Book
) -> None:
    assert _names(reads, book) == ["salary", "sushi", "rent", "cafe", "tesco"]


def test_amount_sort_and_amount_range_are_in_each_currency_s_major_units(
    reads: Reads, book: Book
) -> None:
    filters = TransactionFilters(amount_min=Decimal("-1000"), amount_max=Decimal("-4"))
    names = _names(reads, book, filters=filters, sort=TransactionSort.AMOUNT_ASC)
    assert names == ["rent", "tesco", "cafe"]  # -1500 JPY is below -1000; sorted in minor units


def test_a_category_filter_includes_the_subtree_and_split_lines(
    runtime: Runtime, reads: Reads, book: Book
) -> None:
    runtime.transactions.split(
        book.user,
        book.ids["rent"],
        [SplitRequest(book.rent, "-850.00"), SplitRequest(book.groceries, "-50.00", "snacks")],
    )
    projector(runtime).catch_up()
    assert _names(reads, book, filters=TransactionFilters(category_ids=frozenset({book.food}))) == [
        "rent",
        "cafe",
        "tesco",
    ]
    listed = reads.run(reads.queries.list_transactions(book.user)).items
    lines = {item.id: [(str(s.amount.amount), s.memo) for s in item.splits] for item in listed}
    assert lines[book.ids["rent"]] == [("-850.00", ""), ("-50.00", "snacks")]  # the page's split
    assert lines[book.ids["cafe"]] == []


def test_filters_combine_accounts_dates_tags_source_and_uncategorised(
    reads: Reads, book: Book
) -> None:
    assert _names(reads, book, filters=TransactionFilters(account_ids=frozenset({book.jpy}))) == [
        "sushi"
    ]
    in_range = TransactionFilters(booked_from=date(2024, 3, 2), booked_to=date(2024, 3, 3))
    assert _names(reads, book, filters=in_range) == ["rent", "cafe"]
    assert _names(reads, book, filters=TransactionFilters(tags=frozenset({"weekly"}))) == [
        "sushi",
        "tesco",
    ]
    assert _names(reads, book, filters=TransactionFilters(source="import")) == ["salary"]
    assert _names(reads, book, filters=TransactionFilters(uncategorised=True)) == [
        "salary",
        "sushi",
    ]
    valued = TransactionFilters(value_from=date(2024, 3, 5))
    assert _names(reads, book, filters=valued) == ["rent"]


def test_text_search_matches_word_prefixes_case_and_accent_insensitively(
    reads: Reads, book: Book
) -> None:
    assert _names(reads, book, filters=TransactionFilters(q="cafe")) == ["cafe"]
    assert _names(reads, book, filters=TransactionFilters(q="FLAT whi")) == ["cafe"]
    assert _names(reads, book, filters=TransactionFilters(q="de89370400")) == ["salary"]
    assert _names(reads, book, filters=TransactionFilters(q="nothing-like-it")) == []


def test_pages_follow_each_other_with_a_cursor_and_end_without_one(
    reads: Reads, book: Book
) -> None:
    seen: list[UUID] = []
    cursor = None
    for _ in range(3):
        page = reads.run(reads.queries.list_transactions(book.user, limit=2, cursor=cursor))
        seen += [item.id for item in page.items]
        cursor = page.next_cursor
    assert cursor is None
    everything = reads.run(reads.queries.list_transactions(book.user))
    assert seen == [item.id for item in everything.items]


def test_get_shows_the_decrypted_transaction_with_tags_and_splits(
    runtime: Runtime, reads: Reads, book: Book
) -> None:
    view = reads.run(reads.queries.get_transaction(book.user, book.ids["sushi"]))
    assert (view.payee, view.tags, str(view.amount.amount)) == (
        "Sushi Dai",
        ("treat", "weekly"),
        "-1500",
    )
    salary = reads.run(reads.queries.get_transaction(book.user, book.ids["salary"]))
    assert salary.counterparty_iban == "DE89370400440532013000"


def test_history_lists_every_change_with_its_actor(
    runtime: Runtime, reads: Reads, book: Book
) -> None:
    runtime.transactions.amend(book.user, book.ids["cafe"], {"notes": "with Bob"})
    projector(runtime).catch_up()
    history = reads.run(reads.queries.transaction_history(book.user, book.ids["cafe"]))
    assert [entry.event for entry in history] == ["Recorded", "Amended"]
    assert history[1].changes == {"notes": "with Bob"}
    assert history[1].actor == f"user:{book.user}"


def test_another_owner_sees_neither_rows_nor_ids(
    runtime: Runtime, reads: Reads, book: Book
) -> None:
    other = new_user(runtime, "bob@example.org")
    assert reads.run(reads.queries.list_transactions(other)).items == ()
    with pytest.raises(ViewNotFound):
        reads.run(reads.queries.get_transaction(other, book.ids["tesco"]))
    with pytest.raises(InvalidQuery, match="account_ids"):
        reads.run(
            reads.queries.list_transactions(
                other, TransactionFilters(account_ids=frozenset({book.eur}))
            )
        )


INVERTED_DATES = TransactionFilters(booked_from=date(2024, 2, 1), booked_to=date(2024, 1, 1))
INVERTED_AMOUNTS = TransactionFilters(amount_min=Decimal("5"), amount_max=Decimal("1"))


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
        ({"cursor": "bogus"}, "cursor"),
        ({"cursor": "eyJ4Ijox.AAAA"}, "cursor"),
        ({"filters": INVERTED_DATES}, "booked_from"),
        ({"filters": TransactionFilters(booked_from=date(1, 1, 1))}, "booked_from"),
        ({"filters": INVERTED_AMOUNTS}, "amount_min"),
        ({"filters": TransactionFilters(amount_min=Decimal("NaN"))}, "amount_min"),
        ({"filters": TransactionFilters(q="a b")}, "q"),
        ({"filters": TransactionFilters(category_ids=frozenset({uuid4()}))}, "category_ids"),
    ],
)  # fmt: skip
def test_bad_input_is_a_clear_invalid_query(
    reads: Reads, book: Book, kwargs: dict[str, object], parameter: str
) -> None:
    with pytest.raises(InvalidQuery) as raised:
        reads.run(reads.queries.list_transactions(book.user, **kwargs))  # type: ignore[arg-type]
    assert raised.value.parameter == parameter


def test_a_cursor_made_for_another_sort_order_is_refused(reads: Reads, book: Book) -> None:
    page = reads.run(reads.queries.list_transactions(book.user, limit=1))
    assert page.next_cursor is not None
    with pytest.raises(InvalidQuery, match="another sort order"):
        reads.run(
            reads.queries.list_transactions(
                book.user, sort=TransactionSort.AMOUNT_ASC, cursor=page.next_cursor
            )
        )
