"""``load_demo(runtime)``: a demo user with three years of realistic, seeded (repeatable) data.

Everything goes through the application's use cases, so the events are exactly what a real user
would produce; the projector then builds the query tables as for anyone else. The data is a
household in Prague with accounts in CZK, EUR and USD: salaries, rent, utilities, subscriptions,
groceries from varied shops several times a week, restaurants, transfers between own accounts,
a few refunds, a category tree and tags.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol
from uuid import NAMESPACE_URL, UUID, uuid5

from application.accounts import Accounts
from application.categories import Categories
from application.transactions import NewTransaction, SplitRequest, Transactions
from application.users import Users


class Services(Protocol):
    """What the demo needs of ``ops.bootstrap.Runtime`` (adapters may not import ops)."""

    @property
    def users(self) -> Users: ...
    @property
    def accounts(self) -> Accounts: ...
    @property
    def categories(self) -> Categories: ...
    @property
    def transactions(self) -> Transactions: ...


DEMO_EMAIL = "demo@fintrack.example"
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - published demo credentials, by design
SEED = 2026
START = date(2023, 1, 1)
YEARS = 3

_TREE: dict[str, tuple[str, list[str]]] = {  # parent: (kind, children)
    "Income": ("income", ["Salary", "Refunds"]),
    "Housing": ("expense", ["Rent", "Utilities"]),
    "Food": ("expense", ["Groceries", "Restaurants"]),
    "Subscriptions": ("expense", ["Streaming", "Phone"]),
    "Transport": ("expense", ["Public transport", "Fuel"]),
    "Transfers": ("transfer", []),
}
_SHOPS = ["Albert", "Billa", "Lidl", "Kaufland", "Tesco", "Globus", "Rohlik.cz", "Penny Market"]
_RESTAURANTS = ["Lokal Dlouha", "Manifesto", "Pho Vietnam", "Cafe Savoy", "Burger Inn"]


def load_demo(runtime: Services, *, years: int = YEARS) -> UUID:
    """Register the demo user and record ``years`` of history; return the user's id."""
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    user = runtime.users.register(DEMO_EMAIL, DEMO_PASSWORD, "Demo", "User")
    open_ = runtime.accounts.open
    accounts = {
        name: UUID(open_(user, name=name, kind=kind, currency=cur, opening_balance=opening,
                         opened_on=START).answer["id"])
        for name, kind, cur, opening in [
            ("Main checking", "checking", "CZK", "45000.00"),
            ("Savings", "savings", "CZK", "150000.00"),
            ("Credit card", "credit_card", "CZK", "0.00"),
            ("Cash", "cash", "CZK", "2000.00"),
            ("Euro account", "checking", "EUR", "1200.00"),
            ("US brokerage cash", "investment", "USD", "500.00"),
        ]
    }  # fmt: skip
    categories: dict[str, UUID] = {}
    for parent, (kind, children) in _TREE.items():
        categories[parent] = UUID(
            runtime.categories.create(user, name=parent, kind=kind).answer["id"]
        )
        for child in children:
            categories[child] = UUID(
                runtime.categories.create(
                    user, name=child, kind=kind, parent_id=categories[parent]
                ).answer["id"]
            )
    counter = iter(range(1_000_000))

    def record(  # noqa: PLR0917 - a compact line per demo transaction reads best
        account: str, amount: str, day: date, payee: str, category: str | None,
        tags: tuple[str, ...] = (), description: str = "",
    ) -> UUID:  # fmt: skip
        tx_id = uuid5(NAMESPACE_URL, f"fintrack-demo/{next(counter)}")
        new = NewTransaction(
            account_id=accounts[account], amount=amount, booked_on=day, payee=payee,
            description=description, category_id=None if category is None else categories[category],
            tags=tags,
        )  # fmt: skip
        runtime.transactions.record(user, new, id=tx_id)
        return tx_id

    _months(rng, record, years, runtime, user, categories)
    return user


Recorder = Callable[..., UUID]


def _months(  # noqa: PLR0917
    rng: random.Random, record: Recorder, years: int, runtime: Services, user: UUID,
    categories: dict[str, UUID],
) -> None:  # fmt: skip
    for month in range(12 * years):
        first = date(START.year + month // 12, month % 12 + 1, 1)
        record("Main checking", f"{rng.randint(61000, 64000)}.00", first + timedelta(days=9),
               "Acme s.r.o.", "Salary", ("work",), "Salary")  # fmt: skip
        record("Euro account", f"{rng.randint(400, 450)}.00", first + timedelta(days=14),
               "Freelance client GmbH", "Salary", ("work",), "Invoice")  # fmt: skip
        record("Main checking", "-18500.00", first, "Landlord", "Rent", ("home",), "Rent")
        record("Main checking", f"-{rng.randint(2100, 3400)}.00", first + timedelta(days=19),
               "PRE Energie", "Utilities", ("home",))  # fmt: skip
        record("Credit card", "-259.00", first + timedelta(days=4), "Netflix", "Streaming")
        record("Credit card", "-399.00", first + timedelta(days=6), "T-Mobile", "Phone")
        record("US brokerage cash", "-9.99", first + timedelta(days=2), "GitHub", "Subscriptions")
        record("Main checking", "-5000.00", first + timedelta(days=11), "Own transfer", "Transfers")
        record("Savings", "5000.00", first + timedelta(days=11), "Own transfer", "Transfers")
        record("Main checking", "-12000.00", first + timedelta(days=25), "Card repayment",
               "Transfers")  # fmt: skip
        record("Credit card", "12000.00", first + timedelta(days=25), "Card repayment",
               "Transfers")  # fmt: skip
        day = first
        while day.month == first.month:
            if rng.random() < 0.45:
                shop = rng.choice(_SHOPS)
                amount = f"-{rng.randint(150, 2400)}.{rng.randint(0, 99):02d}"
                tx = record("Credit card", amount, day, shop, "Groceries", ("food",))
                if rng.random() < 0.03:  # a refund of part of a shopping trip
                    record("Credit card", f"{rng.randint(20, 140)}.00", day + timedelta(days=3),
                           shop, "Refunds", ("refund",), "Returned goods")  # fmt: skip
                if rng.random() < 0.05:  # groceries and household goods on one receipt
                    half = (Decimal(amount) / 2).quantize(Decimal("0.01"))
                    runtime.transactions.split(user, tx, [
                        SplitRequest(categories["Groceries"], str(half), "food"),
                        SplitRequest(categories["Housing"], str(Decimal(amount) - half), "home"),
                    ])  # fmt: skip
            if rng.random() < 0.12:
                record("Cash", f"-{rng.randint(180, 900)}.00", day, rng.choice(_RESTAURANTS),
                       "Restaurants", ("eating-out",))  # fmt: skip
            if rng.random() < 0.08:
                record("Euro account", f"-{rng.randint(2, 60)}.{rng.randint(0, 99):02d}", day,
                       rng.choice(["DB Bahn", "Shell"]), "Transport", ("travel",))  # fmt: skip
            day += timedelta(days=1)
