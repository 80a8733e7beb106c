"""``verify`` finds nothing on a clean database and reports a row altered by hand; ``replay``
rebuilds while live reads keep answering, and the rebuilt tables verify clean."""

from __future__ import annotations

import threading
from datetime import date
from uuid import UUID

import pytest
import sqlalchemy as sa

from adapters.readmodel.demo import load_demo
from adapters.readmodel.replay import REBUILD_LOCK, RebuildInProgress, ReplayProgress, replay
from adapters.readmodel.tables import rm_transaction_splits, rm_transactions
from adapters.readmodel.verify import verify
from adapters.tasks.leader import leader_lock
from application.transactions import SplitRequest
from ops.bootstrap import Runtime
from tests.integration.readmodel.conftest import Reads
from tests.integration.readmodel.read_runtime import (
    bulk_record,
    new_user,
    open_account,
    projector,
    record,
)


def test_verify_is_clean_after_the_demo_and_reports_a_row_altered_by_hand(
    runtime: Runtime,
) -> None:
    load_demo(runtime, years=1)
    projector(runtime).catch_up()
    assert verify(runtime) == []

    with runtime.engine.begin() as conn:
        victim = conn.execute(sa.select(rm_transactions.c.id).limit(1)).scalar_one()
        conn.execute(
            sa.update(rm_transactions)
            .where(rm_transactions.c.id == victim)
            .values(amount_minor=rm_transactions.c.amount_minor + 1)
        )
    differences = verify(runtime)
    assert [(d.table, d.key) for d in differences] == [("rm_transactions", str(victim))]
    assert differences[0].problem.startswith("amount_minor:")


def test_verify_compares_sealed_text_as_plaintext_and_reports_missing_rows(
    runtime: Runtime,
) -> None:
    user = new_user(runtime)
    account = open_account(runtime, user)
    food = runtime.categories.create(user, name="Food", kind="expense").answer["id"]
    tid = record(runtime, user, account, "-10.00", payee="Bakery")

    runtime.transactions.split(user, tid, [SplitRequest(UUID(food), "-10.00", "bread")])
    projector(runtime).catch_up()
    with runtime.engine.begin() as conn:
        conn.execute(sa.delete(rm_transaction_splits))
    assert [(d.table, d.problem) for d in verify(runtime)] == [
        ("rm_transaction_splits", "missing from the live table")
    ]


def test_replay_rebuilds_while_reads_keep_answering_and_the_result_verifies(
    runtime: Runtime, reads: Reads
) -> None:
    user = new_user(runtime)
    account = open_account(runtime, user)
    bulk_record(runtime, user, account, 1500)
    projector(runtime).catch_up()
    before = reads.run(reads.queries.list_transactions(user, limit=20))
    answers: list[int] = []
    failures: list[BaseException] = []
    done = threading.Event()
    progress: list[ReplayProgress] = []

    def keep_reading() -> None:
        local = Reads(runtime)
        try:
            while not done.is_set():
                page = local.run(local.queries.list_transactions(user, limit=20))
                answers.append(len(page.items))
        except BaseException as error:
            failures.append(error)
        finally:
            local.close()

    reader = threading.Thread(target=keep_reading)
    reader.start()
    try:
        result = replay(runtime, progress=progress.append, page_size=300)
    finally:
        done.set()
        reader.join(30)
    assert result.events == runtime.ledger.recorder.max_notification_id()
    assert progress
    assert progress[-1].done == progress[-1].total
    assert failures == []
    assert answers
    assert set(answers) == {20}  # every read during the rebuild got a full page
    after = reads.run(reads.queries.list_transactions(user, limit=20))
    assert after == before
    record(runtime, user, account, "-1.00", date(2030, 1, 1), payee="After the swap")
    projector(runtime).catch_up()  # the projector carries on from the swapped-in position
    assert verify(runtime) == []


def test_replaying_one_projection_leaves_the_others_alone(runtime: Runtime) -> None:
    user = new_user(runtime)
    record(runtime, user, open_account(runtime, user), "-3.00")
    projector(runtime).catch_up()
    result = replay(runtime, "transaction_history")
    assert result.projections == ("transaction_history",)
    assert verify(runtime) == []


def test_a_replay_or_verify_is_refused_while_another_rebuild_runs(runtime: Runtime) -> None:
    settings = runtime.settings
    other = leader_lock(REBUILD_LOCK, settings.sync_url, settings.var_dir)
    assert other.acquire()
    try:
        with pytest.raises(RebuildInProgress):
            verify(runtime)
        with pytest.raises(RebuildInProgress):
            replay(runtime)
    finally:
        other.release()
    assert verify(runtime) == []  # free again once the other rebuild is done
