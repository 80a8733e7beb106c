"""Balances, series, category totals and cash flow answer what the recorded commands imply."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from adapters.readmodel.balance_queries import balance_series, balances
from adapters.readmodel.category_queries import cash_flow, category_totals, category_tree
from application.transactions import NewTransaction, SplitRequest
from projections.errors import InvalidQuery
from tests.integration.readmodel.report_harness import ReportHarness, harness

__all__ = ["harness"]


def _user(h: ReportHarness) -> UUID:
    return h.runtime.users.register(
        email=f"{uuid4().hex[:8]}@example.org", password="a long pass phrase 42"
    )


def _account(h: ReportHarness, user: UUID, currency: str = "EUR", opening: str = "100.00") -> UUID:
    outcome = h.runtime.accounts.open(
        user, name="Checking", kind="checking", currency=currency,
        opening_balance=opening, opened_on=date(2024, 1, 1),
    )  # fmt: skip
    return UUID(outcome.answer["id"])


def _record(
    h: ReportHarness, user: UUID, account: UUID, amount: str, day: date, **kw: object
) -> UUID:
    new = NewTransaction(account_id=account, amount=amount, booked_on=day, **kw)  # type: ignore[arg-type]
    return UUID(h.runtime.transactions.record(user, new).answer["id"])


def test_balance_now_and_as_of_a_day_follow_amendments_and_deletions(
    harness: ReportHarness,
) -> None:
    h = harness
    user = _user(h)
    account = _account(h, user)
    _record(h, user, account, "-10.00", date(2024, 1, 5))
    second = _record(h, user, account, "-20.00", date(2024, 2, 5))
    third = _record(h, user, account, "50.00", date(2024, 3, 5))
    h.runtime.transactions.amend(user, second, {"amount": "-25.00", "booked_on": date(2024, 1, 20)})
    h.runtime.transactions.delete(user, third)
    h.project()

    [now] = h.run(balances(h.async_engine, h.protector, user))
    [january] = h.run(balances(h.async_engine, h.protector, user, date(2024, 1, 31)))
    [early] = h.run(balances(h.async_engine, h.protector, user, date(2024, 1, 10)))

    assert now.name == "Checking"
    assert now.balance.amount == Decimal("65.00")
    assert january.balance.amount == Decimal("65.00")
    assert early.balance.amount == Decimal("90.00")


def test_restoring_a_deleted_transaction_brings_its_amount_back(harness: ReportHarness) -> None:
    h = harness
    user = _user(h)
    account = _account(h, user)
    tx = _record(h, user, account, "-10.00", date(2024, 1, 5))
    h.runtime.transactions.delete(user, tx)
    h.project()
    h.runtime.transactions.restore(user, tx)
    h.project()

    [now] = h.run(balances(h.async_engine, h.protector, user))

    assert now.balance.amount == Decimal("90.00")


def test_monthly_series_gives_the_balance_at_each_month_end(harness: ReportHarness) -> None:
    h = harness
    user = _user(h)
    account = _account(h, user, "CZK", "1000.00")
    _record(h, user, account, "-100.00", date(2024, 1, 31))
    _record(h, user, account, "-50.00", date(2024, 3, 1))
    h.project()

    points = h.run(
        balance_series(h.async_engine, user, account_id=account, date_from=date(2024, 1, 1),
                       date_to=date(2024, 3, 31), interval="month")
    )  # fmt: skip

    assert [(p.period, p.balance.amount) for p in points] == [
        (date(2024, 1, 1), Decimal("900.00")),
        (date(2024, 2, 1), Decimal("900.00")),
        (date(2024, 3, 1), Decimal("850.00")),
    ]


def _three_accounts(h: ReportHarness, user: UUID) -> tuple[UUID, UUID, UUID]:
    """Two EUR accounts and a CZK one, each moved before 2024-01-09, in its week and after it."""
    first, second = _account(h, user, "EUR", "100.00"), _account(h, user, "EUR", "50.00")
    czk = _account(h, user, "CZK", "1000.00")
    _record(h, user, first, "-10.00", date(2024, 1, 2))
    _record(h, user, czk, "-100.00", date(2024, 1, 3))
    _record(h, user, first, "-5.00", date(2024, 1, 10))
    _record(h, user, second, "20.00", date(2024, 1, 14))
    _record(h, user, czk, "300.00", date(2024, 1, 16))
    _record(h, user, czk, "50.00", date(2024, 1, 18))  # after date_to: left out
    h.project()
    return first, second, czk


def test_a_series_over_all_accounts_adds_up_each_currency_period_by_period(
    harness: ReportHarness,
) -> None:
    h = harness
    user = _user(h)
    _three_accounts(h, user)

    points = h.run(
        balance_series(h.async_engine, user, date_from=date(2024, 1, 9),
                       date_to=date(2024, 1, 17), interval="week")
    )  # fmt: skip

    assert [(p.period, p.currency, p.balance.amount, p.account_id) for p in points] == [
        (date(2024, 1, 8), "CZK", Decimal("900.00"), None),
        (date(2024, 1, 8), "EUR", Decimal("155.00"), None),
        (date(2024, 1, 15), "CZK", Decimal("1200.00"), None),
        (date(2024, 1, 15), "EUR", Decimal("155.00"), None),
    ]
    assert all(p.balance.currency == p.currency for p in points)


def test_a_daily_series_of_one_account_starts_from_its_balance_before_the_range(
    harness: ReportHarness,
) -> None:
    h = harness
    user = _user(h)
    _, second, _ = _three_accounts(h, user)

    points = h.run(
        balance_series(h.async_engine, user, account_id=second, date_from=date(2024, 1, 13),
                       date_to=date(2024, 1, 15))
    )  # fmt: skip

    assert [(p.period, p.currency, p.balance.amount, p.account_id) for p in points] == [
        (date(2024, 1, 13), "EUR", Decimal("50.00"), second),
        (date(2024, 1, 14), "EUR", Decimal("70.00"), second),
        (date(2024, 1, 15), "EUR", Decimal("70.00"), second),
    ]


def test_category_totals_roll_up_the_tree_and_count_split_lines(harness: ReportHarness) -> None:
    h = harness
    user = _user(h)
    account = _account(h, user)
    food = UUID(h.runtime.categories.create(user, name="Food", kind="expense").answer["id"])
    groceries = UUID(
        h.runtime.categories.create(user, name="Groceries", kind="expense", parent_id=food).answer[
            "id"
        ]
    )
    home = UUID(h.runtime.categories.create(user, name="Home", kind="expense").answer["id"])
    _record(h, user, account, "-30.00", date(2024, 1, 3), category_id=groceries)
    split = _record(h, user, account, "-10.00", date(2024, 1, 4))
    h.runtime.transactions.split(
        user, split, [SplitRequest(food, "-4.00"), SplitRequest(home, "-6.00")]
    )
    _record(h, user, account, "200.00", date(2024, 1, 9))
    h.project()

    totals = h.run(category_totals(h.async_engine, user, date(2024, 1, 1), date(2024, 1, 31)))
    by_category = {(t.category_id, t.kind): (t.total.amount, t.count) for t in totals}

    assert by_category == {
        (food, "expense"): (Decimal("-34.00"), 2),
        (groceries, "expense"): (Decimal("-30.00"), 1),
        (home, "expense"): (Decimal("-6.00"), 1),
        (None, "income"): (Decimal("200.00"), 1),
    }
    tree = h.run(category_tree(h.async_engine, h.protector, user))
    assert [(n.name, n.depth) for n in tree] == [("Food", 0), ("Groceries", 1), ("Home", 0)]


def test_moving_a_category_moves_its_totals_to_the_new_parent(harness: ReportHarness) -> None:
    h = harness
    user = _user(h)
    account = _account(h, user)
    food = UUID(h.runtime.categories.create(user, name="Food", kind="expense").answer["id"])
    home = UUID(h.runtime.categories.create(user, name="Home", kind="expense").answer["id"])
    snacks = UUID(
        h.runtime.categories.create(user, name="Snacks", kind="expense", parent_id=food).answer[
            "id"
        ]
    )
    _record(h, user, account, "-5.00", date(2024, 1, 3), category_id=snacks)
    h.project()
    h.runtime.categories.move(user, snacks, home)
    h.project()

    totals = h.run(category_totals(h.async_engine, user, date(2024, 1, 1), date(2024, 1, 31)))

    assert {t.category_id for t in totals} == {home, snacks}


def test_cash_flow_leaves_transfers_out_and_fills_empty_months(harness: ReportHarness) -> None:
    h = harness
    user = _user(h)
    account = _account(h, user)
    transfer = UUID(
        h.runtime.categories.create(user, name="Transfers", kind="transfer").answer["id"]
    )
    _record(h, user, account, "1000.00", date(2024, 1, 1))
    _record(h, user, account, "-300.00", date(2024, 1, 2))
    _record(h, user, account, "-500.00", date(2024, 1, 3), category_id=transfer)
    h.project()

    months = h.run(cash_flow(h.async_engine, user, date(2024, 1, 1), date(2024, 2, 29)))

    assert [(m.month, m.income.amount, m.expense.amount, m.net.amount) for m in months] == [
        (date(2024, 1, 1), Decimal("1000.00"), Decimal("-300.00"), Decimal("700.00")),
        (date(2024, 2, 1), Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
    ]


def test_erasing_a_user_purges_their_report_rows(harness: ReportHarness) -> None:
    h = harness
    user = _user(h)
    account = _account(h, user)
    _record(h, user, account, "-5.00", date(2024, 1, 3))
    h.project()
    h.runtime.users.erase(user)
    h.project()

    assert h.run(balances(h.async_engine, h.protector, user)) == []
    assert h.run(category_totals(h.async_engine, user, date(2024, 1, 1), date(2024, 1, 31))) == []


@pytest.mark.parametrize(
    ("date_from", "date_to", "interval"),
    [
        (date(2024, 2, 1), date(2024, 1, 1), "day"),  # inverted
        (date(1000, 1, 1), date(2024, 1, 1), "month"),  # out of range
        (date(1990, 1, 1), date(2024, 1, 1), "day"),  # too many points
        (date(2024, 1, 1), date(2024, 2, 1), "year"),  # unknown interval
    ],
)
def test_a_bad_series_request_is_refused(
    harness: ReportHarness, date_from: date, date_to: date, interval: str
) -> None:
    user = _user(harness)
    with pytest.raises(InvalidQuery):
        harness.run(
            balance_series(harness.async_engine, user, date_from=date_from, date_to=date_to,
                           interval=interval)
        )  # fmt: skip


def test_another_users_account_is_an_unknown_account(harness: ReportHarness) -> None:
    h = harness
    alice, bob = _user(h), _user(h)
    account = _account(h, alice)
    h.project()
    with pytest.raises(InvalidQuery, match="account_id"):
        h.run(balance_series(h.async_engine, bob, account_id=account,
                             date_from=date(2024, 1, 1), date_to=date(2024, 1, 2)))  # fmt: skip
