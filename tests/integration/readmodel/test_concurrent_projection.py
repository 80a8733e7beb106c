"""Writers racing a running projector: every event in the log is reflected exactly once."""

from __future__ import annotations

import threading
from decimal import Decimal
from random import Random
from uuid import UUID

import sqlalchemy as sa

from adapters.persistence.tables import events
from adapters.readmodel.report_tables import rm_accounts
from adapters.readmodel.runner import run_projector
from adapters.readmodel.tables import rm_transaction_history, rm_transactions
from ops.bootstrap import Runtime
from projections.minor_units import to_minor
from tests.integration.readmodel.read_runtime import new_user, open_account, projector, record

WRITERS = 4
PER_WRITER = 40


def _write(runtime: Runtime, user: UUID, account: UUID, seed: int, total: list[Decimal]) -> None:
    rng = Random(seed)
    for n in range(PER_WRITER):
        amount = Decimal(rng.randint(-50_00, 50_00)) / 100
        tid = record(runtime, user, account, str(amount), payee=f"writer {seed} #{n}")
        if n % 7 == 0:
            runtime.transactions.delete(user, tid)
        elif n % 5 == 0:
            runtime.transactions.amend(user, tid, {"amount": str(amount + 1)})
            total.append(amount + 1)
        else:
            total.append(amount)


def test_concurrent_writers_and_a_running_projector_miss_nothing_and_double_nothing(
    runtime: Runtime,
) -> None:
    user = new_user(runtime)
    accounts = [open_account(runtime, user, name=f"Account {n}") for n in range(WRITERS)]
    stop = threading.Event()
    follower = threading.Thread(
        target=run_projector, args=(runtime, stop), kwargs={"page_size": 50, "idle_poll": 0.01}
    )
    follower.start()
    totals: list[list[Decimal]] = [[] for _ in range(WRITERS)]
    writers = [
        threading.Thread(target=_write, args=(runtime, user, accounts[n], n, totals[n]))
        for n in range(WRITERS)
    ]
    try:
        for thread in writers:
            thread.start()
        for thread in writers:
            thread.join()
        head = runtime.ledger.recorder.max_notification_id()
        check = projector(runtime)
        deadline = 600
        while min(check.positions().values()) != head and deadline:
            stop.wait(0.05)
            deadline -= 1
    finally:
        stop.set()
        follower.join(10)

    with runtime.engine.connect() as conn:
        logged = conn.execute(
            sa.select(sa.func.count()).where(
                events.c.topic.like("domain.transaction:Transaction.%")
            )
        ).scalar_one()
        reflected = conn.execute(
            sa.select(sa.func.count()).select_from(rm_transaction_history)
        ).scalar_one()
        live_sum = conn.execute(
            sa.select(sa.func.sum(rm_transactions.c.amount_minor)).where(
                rm_transactions.c.deleted.is_(False)
            )
        ).scalar_one()
        balances = conn.execute(sa.select(sa.func.sum(rm_accounts.c.balance_minor))).scalar_one()
    expected = sum(to_minor(a, "EUR") for per in totals for a in per)
    edits = sum(1 for n in range(PER_WRITER) if n % 7 == 0 or n % 5 == 0)
    assert reflected == logged == WRITERS * (PER_WRITER + edits)
    assert live_sum == expected
    assert balances == expected
