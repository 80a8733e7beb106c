"""A projector process SIGKILLed in the middle of a large page loses nothing and applies nothing
twice: after a restart every query table equals a from-scratch rebuild (``verify``). Each writer
commits its page in its own transaction, so the kill lands with some writers' pages committed and
the stalled writer's rows written but not committed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from adapters.readmodel.report_tables import rm_category_allotments
from adapters.readmodel.tables import rm_transaction_history, rm_transactions
from adapters.readmodel.verify import verify
from ops.bootstrap import Runtime
from tests.integration.readmodel.read_runtime import bulk_record, new_user, open_account, projector

ROOT = Path(__file__).resolve().parents[3]


def _start(runtime: Runtime, page_size: int, stall: Path | None = None) -> subprocess.Popen[bytes]:
    args = [
        sys.executable,
        "-m",
        "tests.integration.readmodel.projector_process",
        runtime.settings.database_url,
        str(runtime.settings.var_dir),
        str(page_size),
    ]
    return subprocess.Popen([*args, *([str(stall)] if stall else [])], cwd=ROOT)


def _wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _count(runtime: Runtime, table: sa.Table) -> int:
    with runtime.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_a_projector_killed_mid_page_resumes_to_tables_equal_to_a_rebuild(
    runtime: Runtime, tmp_path: Path
) -> None:
    user = new_user(runtime)
    bulk_record(runtime, user, open_account(runtime, user), 1500)
    head = runtime.ledger.recorder.max_notification_id()
    stall = tmp_path / "stalled"

    doomed = _start(runtime, page_size=5000, stall=stall)
    try:
        _wait_for(stall.exists, 60, "the projector to stall mid-page")
        assert int(stall.read_text()) == head  # the whole log is one page, written, not committed
        assert projector(runtime).positions()["projection:category_totals"] == 0
        os.kill(doomed.pid, signal.SIGKILL)
    finally:
        doomed.kill()  # also when an assertion failed first: never leave it stalled behind
        doomed.wait(10)
    assert _count(runtime, rm_category_allotments) == 0  # the killed page left nothing behind

    successor = _start(runtime, page_size=700)
    try:
        _wait_for(
            lambda: min(projector(runtime).positions().values()) == head,
            60,
            "the restart to catch up",
        )
    finally:
        successor.terminate()
        successor.wait(10)

    assert _count(runtime, rm_transactions) == 1500
    assert _count(runtime, rm_transaction_history) == 1500
    assert verify(runtime) == []
