"""Page boundaries leave no trace: the report tables after tiny pages (3 events) equal a rebuild
in pages of 1000, compared row by row (sealed names as plaintext) by ``verify``."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from adapters.readmodel.verify import verify
from application.transactions import NewTransaction, SplitRequest
from tests.integration.readmodel.report_harness import ReportHarness, harness

__all__ = ["harness"]


def test_tiny_pages_build_the_same_report_tables_as_a_rebuild(harness: ReportHarness) -> None:
    h, rt = harness, harness.runtime
    user = rt.users.register(email="pages@example.org", password="a long pass phrase 42")
    opened = rt.accounts.open(user, name="A", kind="checking", currency="EUR",
                              opening_balance="10.00", opened_on=date(2024, 1, 1))  # fmt: skip
    account = UUID(opened.answer["id"])
    food = UUID(rt.categories.create(user, name="Food", kind="expense").answer["id"])
    home = UUID(rt.categories.create(user, name="Home", kind="expense").answer["id"])
    sub = UUID(rt.categories.create(user, name="Sub", kind="expense", parent_id=food).answer["id"])
    ids = [
        UUID(rt.transactions.record(user, new).answer["id"])
        for n in range(1, 13)
        if (new := NewTransaction(account, f"-{n}.00", date(2024, 1, n % 9 + 1), category_id=sub))
    ]
    rt.transactions.amend(user, ids[0], {"amount": "5.00", "booked_on": date(2024, 2, 1)})
    rt.transactions.delete(user, ids[1])
    rt.transactions.delete(user, ids[2])
    rt.transactions.restore(user, ids[2])
    rt.transactions.split(user, ids[3], [SplitRequest(food, "-1.00"), SplitRequest(home, "-3.00")])
    rt.transactions.categorise(user, ids[4], None)
    # -6.00 on 7 January (ids[5]), then +6.00 pages later: the day nets to zero, and its row
    # must go, as a rebuild that sees both in one page never writes it
    rt.transactions.record(user, NewTransaction(account, "6.00", date(2024, 1, 7), category_id=sub))
    rt.categories.move(user, sub, home)
    rt.accounts.rename(user, account, "Renamed")

    assert h.project_all(page_size=3) > 0

    assert [str(d) for d in verify(rt)] == []
