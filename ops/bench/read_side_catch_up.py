"""Catch-up benchmark of the projector: encrypted events projected per second, in one process and
split over processes (``SPLIT``, as the README suggests), against a raw keyset read of the same
``events`` table, plus peak traced memory for a short vs a long catch-up.
"""

from __future__ import annotations

import subprocess
import sys
import time
import tracemalloc
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import sqlalchemy as sa

from adapters.persistence.tables import events, tracking
from adapters.readmodel.registry import writer_names
from adapters.readmodel.runner import build_projector
from domain.account import Account, AccountKind
from domain.actor import Actor
from domain.category import Category, CategoryKind
from domain.money import Money
from domain.transaction import Transaction
from ops.bench.processes import settings_env
from ops.bootstrap import Runtime

USERS = 5
BATCH = 500
# The transactions list is the costliest projection: alone in one process, the rest in another.
SPLIT = (("transactions",), ("transaction_history", "balances", "category_tree", "category_totals"))


def generate(runtime: Runtime, count: int) -> int:
    """About ``count`` events over ``USERS`` owners: recorded transactions, a tenth of them
    categorised, a twentieth amended, saved ``BATCH`` aggregates at a time (fast)."""
    made = 0
    per_user = count // USERS
    for u in range(USERS):
        user = runtime.users.register(f"bench-{u}-{uuid4().hex[:8]}@example.org", "bench pass 2026")
        actor = Actor.user(user)
        account = _account(user, actor)
        category = Category.create(
            id=uuid4(), owner_id=user, name="Food", kind=CategoryKind.EXPENSE, actor=actor
        )
        runtime.ledger.save(account, category)
        made += 3
        n = 0
        while n < per_user:
            batch = []
            for i in range(n, min(n + BATCH, per_user)):
                tx = Transaction.record(
                    account, id=uuid4(), amount=Money(Decimal(-(i % 97) - 1) / 4, "EUR"),
                    booked_on=date(2021, 1, 1) + timedelta(days=i % 1500),
                    payee=f"Shop {i % 31}", description=f"purchase {i}", actor=actor,
                )  # fmt: skip
                n += 1
                if i % 10 == 0:
                    tx.categorise(category, actor=actor)
                    n += 1
                if i % 20 == 0:
                    tx.amend(amount=Money(Decimal(-i % 50 - 1), "EUR"), actor=actor)
                    n += 1
                batch.append(tx)
            runtime.ledger.save(*batch)
        made += n
    return made


def _account(user: UUID, actor: Actor) -> Account:
    return Account.open(
        id=uuid4(), owner_id=user, name="Bench", kind=AccountKind.CHECKING, currency="EUR",
        opening_balance=Money(Decimal(0), "EUR"), opened_on=date(2020, 1, 1), actor=actor,
    )  # fmt: skip


def reset(runtime: Runtime) -> None:
    """Empty every query table and tracking position: the next catch-up starts from zero."""
    names = [n for n in sa.inspect(runtime.engine).get_table_names() if n.startswith("rm_")]
    with runtime.engine.begin() as conn:
        for name in names:
            conn.exec_driver_sql(f"DELETE FROM {name}")
        conn.execute(tracking.delete().where(tracking.c.application_name.like("projection:%")))


def project(runtime: Runtime, stop: int | None = None) -> tuple[int, float]:
    projector = build_projector(runtime)
    started = time.perf_counter()
    applied = projector.catch_up(stop=stop)
    return applied, time.perf_counter() - started


def project_split(runtime: Runtime) -> tuple[int, float]:
    """Catch up every projection with one process per ``SPLIT`` group, started together; return
    the events applied (each event once) and the time until the last group finished."""
    if sorted(n for names in SPLIT for n in names) != sorted(writer_names(runtime.keyring)):
        raise RuntimeError("SPLIT must name every registered projection exactly once")
    env = settings_env(runtime.settings)
    groups = [
        subprocess.Popen(  # noqa: S603 - our own module, names from SPLIT
            [sys.executable, "-m", "ops.bench.catch_up_group", *names],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )
        for names in SPLIT
    ]
    try:
        for group in groups:
            if group.stdout is None or group.stdout.readline().strip() != "ready":
                raise RuntimeError("a catch-up group failed to start")
        started = time.perf_counter()
        for group in groups:
            assert group.stdin is not None
            group.stdin.write("go\n")
            group.stdin.flush()
        applied = [int(group.communicate(timeout=3600)[0]) for group in groups]
        return max(applied), time.perf_counter() - started
    finally:
        for group in groups:
            if group.poll() is None:
                group.kill()
                group.wait()


def raw_read(runtime: Runtime) -> tuple[int, float]:
    """The same rows by plain keyset paging, no decoding: the ceiling for a reader."""
    e = events.c
    query = (
        sa.select(e.id, e.originator_id, e.originator_version, e.topic, e.state)
        .where(e.id > sa.bindparam("last"))
        .order_by(e.id)
        .limit(1000)
    )
    read, last = 0, 0
    started = time.perf_counter()
    with runtime.engine.connect() as conn:
        while rows := conn.execute(query, {"last": last}).all():
            read += len(rows)
            last = rows[-1][0]
    return read, time.perf_counter() - started


def peak_memory(runtime: Runtime, stop: int | None) -> int:
    reset(runtime)
    tracemalloc.start()
    try:
        project(runtime, stop)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
