"""Random commands through the application; after each step (the real projector run to the head
of the log, every registered projection, small pages) the queries answer what an in-memory model
of the same commands answers: balances, balance series (daily over all accounts, weekly for one),
category totals rolled up the tree, cash flow, and the transactions list (all of it, and filtered
by a category with its subtree)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy.engine import URL

from adapters.readmodel.balance_queries import balance_series, balances
from adapters.readmodel.category_queries import cash_flow, category_totals
from adapters.readmodel.transaction_queries import TransactionQueries
from application.transactions import NewTransaction, SplitRequest
from domain.errors import RuleBroken
from projections.transaction_views import TransactionFilters
from tests.integration.readmodel.report_harness import ReportHarness, open_harness

START = date(2024, 1, 1)
days = st.integers(0, 90).map(lambda n: START + timedelta(days=n))
cents = st.integers(-50_000, 50_000).filter(bool)


def _text(minor: int) -> str:
    return str(Decimal(minor).scaleb(-2))


class ReportMachine(RuleBasedStateMachine):
    harness: ReportHarness  # one database for the whole run; a new user per example

    accounts = Bundle("accounts")
    categories = Bundle("categories")
    transactions = Bundle("transactions")

    @initialize()
    def new_user(self) -> None:
        self.user = self.harness.runtime.users.register(
            email=f"{uuid4().hex[:10]}@example.org", password="a long pass phrase 42"
        )
        self.opening: dict[UUID, int] = {}
        self.parent: dict[UUID, UUID | None] = {}
        self.tx: dict[UUID, dict[str, Any]] = {}

    @rule(target=accounts, opening=cents)
    def open_account(self, opening: int) -> UUID:
        outcome = self.harness.runtime.accounts.open(
            self.user, name="A", kind="checking", currency="EUR",
            opening_balance=_text(opening), opened_on=START,
        )  # fmt: skip
        account = UUID(outcome.answer["id"])
        self.opening[account] = opening
        return account

    @rule(target=categories, parent=st.none() | categories)
    def create_category(self, parent: UUID | None) -> UUID:
        outcome = self.harness.runtime.categories.create(
            self.user, name="C", kind="expense", parent_id=parent
        )
        category = UUID(outcome.answer["id"])
        self.parent[category] = parent
        return category

    @rule(category=categories, parent=st.none() | categories)
    def move_category(self, category: UUID, parent: UUID | None) -> None:
        try:
            self.harness.runtime.categories.move(self.user, category, parent)
        except RuleBroken:
            return
        self.parent[category] = parent

    @rule(target=transactions, account=accounts, amount=cents, day=days,
          category=st.none() | categories)  # fmt: skip
    def record(self, account: UUID, amount: int, day: date, category: UUID | None) -> UUID:
        new = NewTransaction(account, _text(amount), day, category_id=category)
        tx = UUID(self.harness.runtime.transactions.record(self.user, new).answer["id"])
        self.tx[tx] = {"account": account, "amount": amount, "day": day, "category": category,
                       "lines": [], "deleted": False}  # fmt: skip
        return tx

    def _live(self, tx: UUID) -> bool:
        return not self.tx[tx]["deleted"]

    @rule(tx=transactions, amount=cents, day=days)
    def amend(self, tx: UUID, amount: int, day: date) -> None:
        if self._live(tx) and not self.tx[tx]["lines"]:
            self.harness.runtime.transactions.amend(
                self.user, tx, {"amount": _text(amount), "booked_on": day}
            )
            self.tx[tx].update(amount=amount, day=day)

    @rule(tx=transactions, category=st.none() | categories)
    def categorise(self, tx: UUID, category: UUID | None) -> None:
        if self._live(tx):
            self.harness.runtime.transactions.categorise(self.user, tx, category)
            self.tx[tx]["category"] = category

    @rule(tx=transactions, first=categories, second=categories, share=st.integers(0, 100))
    def split(self, tx: UUID, first: UUID, second: UUID, share: int) -> None:
        if self._live(tx):
            amount = self.tx[tx]["amount"]
            part = amount * share // 100
            lines = [(first, part), (second, amount - part)]
            requests = [SplitRequest(c, _text(a)) for c, a in lines]
            self.harness.runtime.transactions.split(self.user, tx, requests)
            self.tx[tx]["lines"] = lines

    @rule(tx=transactions)
    def clear_split(self, tx: UUID) -> None:
        if self._live(tx):
            self.harness.runtime.transactions.clear_split(self.user, tx)
            self.tx[tx]["lines"] = []

    @rule(tx=transactions)
    def delete_or_restore(self, tx: UUID) -> None:
        if self._live(tx):
            self.harness.runtime.transactions.delete(self.user, tx)
        else:
            self.harness.runtime.transactions.restore(self.user, tx)
        self.tx[tx]["deleted"] = not self.tx[tx]["deleted"]

    @invariant()
    def queries_match_the_model(self) -> None:
        h = self.harness
        h.project_all(page_size=7)  # small pages: page boundaries fall everywhere
        expected_balance = dict(self.opening)
        expected_totals: defaultdict[tuple[UUID | None, str], list[int]] = defaultdict(
            lambda: [0, 0]
        )
        for t in self.tx.values():
            if t["deleted"]:
                continue
            expected_balance[t["account"]] += t["amount"]
            for category, amount in t["lines"] or [(t["category"], t["amount"])]:
                kind = "income" if amount > 0 else "expense"
                for ancestor in self._ancestors(category):
                    expected_totals[(ancestor, kind)][0] += amount
                    expected_totals[(ancestor, kind)][1] += 1
        got = h.run(balances(h.async_engine, h.protector, self.user))
        assert {b.account_id: int(b.balance.amount.scaleb(2)) for b in got} == expected_balance
        totals = h.run(category_totals(h.async_engine, self.user, START, START + timedelta(90)))
        summed: defaultdict[tuple[UUID | None, str], list[int]] = defaultdict(lambda: [0, 0])
        for total in totals:  # one row per month: add the months up
            summed[(total.category_id, total.kind)][0] += int(total.total.amount.scaleb(2))
            summed[(total.category_id, total.kind)][1] += total.count
        assert dict(summed) == {k: v for k, v in expected_totals.items() if v != [0, 0]}
        self._check_series()
        self._check_cash_flow()
        self._check_list()

    def _balance_on(self, day: date, accounts: set[UUID]) -> int:
        moved: int = sum(
            t["amount"] for t in self.tx.values()
            if not t["deleted"] and t["account"] in accounts and t["day"] <= day
        )  # fmt: skip
        return sum(self.opening[a] for a in accounts) + moved

    def _check_series(self) -> None:
        h = self.harness
        first, last = START + timedelta(30), START + timedelta(90)  # earlier days sum up first
        daily = h.run(balance_series(h.async_engine, self.user, date_from=first, date_to=last))
        every = set(self.opening)
        days = [first + timedelta(n) for n in range(61)] if every else []
        assert [(p.period, p.currency, int(p.balance.amount.scaleb(2))) for p in daily] == [
            (day, "EUR", self._balance_on(day, every)) for day in days
        ]
        if not every:
            return
        account = next(iter(self.opening))  # the first opened: stable across reruns
        weekly = h.run(balance_series(h.async_engine, self.user, account_id=account,
                                      date_from=first, date_to=last, interval="week"))  # fmt: skip
        mondays = [first - timedelta(first.weekday()) + timedelta(weeks=n) for n in range(9)]
        assert [(p.period, p.account_id, int(p.balance.amount.scaleb(2))) for p in weekly] == [
            (monday, account, self._balance_on(min(monday + timedelta(6), last), {account}))
            for monday in mondays
        ]

    def _check_cash_flow(self) -> None:
        h = self.harness
        expected: defaultdict[date, list[int]] = defaultdict(lambda: [0, 0])
        for t in self.tx.values():
            if not t["deleted"]:
                for _category, amount in t["lines"] or [(t["category"], t["amount"])]:
                    expected[t["day"].replace(day=1)][0 if amount > 0 else 1] += amount
        months = h.run(cash_flow(h.async_engine, self.user, START, START + timedelta(90)))
        got = {m.month: [int(m.income.amount.scaleb(2)), int(m.expense.amount.scaleb(2))]
               for m in months if m.income.amount or m.expense.amount}  # fmt: skip
        assert got == {k: v for k, v in expected.items() if v != [0, 0]}

    def _check_list(self) -> None:
        h = self.harness
        queries = TransactionQueries(h.async_engine, h.runtime.keyring, h.runtime.secret_key)
        page = h.run(queries.list_transactions(self.user, limit=500))
        live = {i: t for i, t in self.tx.items() if not t["deleted"]}
        assert {v.id: int(v.amount.amount.scaleb(2)) for v in page.items} == {
            i: t["amount"] for i, t in live.items()
        }
        if self.parent:
            category = next(iter(self.parent))  # the first created: stable across reruns
            filters = TransactionFilters(category_ids=frozenset({category}))
            found = h.run(queries.list_transactions(self.user, filters, limit=500))
            assert {v.id for v in found.items} == {
                i for i, t in live.items()  # a split counts by its lines only
                if any(category in self._ancestors(c)
                       for c, _ in t["lines"] or [(t["category"], 0)])
            }  # fmt: skip

    def _ancestors(self, category: UUID | None) -> Iterator[UUID | None]:
        yield category
        while category is not None and (category := self.parent[category]) is not None:
            yield category


@pytest.mark.parametrize("backend", ["sqlite", "mariadb"])
def test_report_queries_agree_with_a_model_of_random_commands(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url: URL = request.getfixturevalue(f"{backend}_url")
    harness = open_harness(url, tmp_path)
    ReportMachine.harness = harness
    examples = 30 if backend == "sqlite" else 8
    try:
        test = ReportMachine.TestCase
        test.settings = settings(
            max_examples=examples, stateful_step_count=25, deadline=None,
            suppress_health_check=[HealthCheck.too_slow], derandomize=True,
        )  # fmt: skip
        test("runTest").runTest()
    finally:
        harness.close()
