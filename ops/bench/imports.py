"""Import benchmark: a 100k-line statement (CSV, then CAMT.053) from upload to queryable in the
transaction list, through the relay, RabbitMQ and a separate worker process; then the same file
again. Reported against the event store's raw bulk-append rate measured in the same run.

    python -m ops.bench imports        (or: python -m ops.bench.imports MARIADB_URL)

The broker is FINTRACK_BENCH_AMQP_URL (default ``amqp://guest:guest@127.0.0.1:5672/``); the
worker is ``python -m ops.bench.imports --worker …`` (one process, like ``fintrack worker``).
Peak worker memory is its VmHWM. The read model is projected as the README deploys it: by
``fintrack projector`` processes, one per group of ``SPLIT`` (the transactions list alone).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import sqlalchemy as sa

from adapters.crypto.key_file import load_or_create_key_file
from adapters.crypto.master_key import load_master_keys
from adapters.http.auth.passwords import CHEAP_PROFILE
from adapters.imports.wiring import build_import_services
from adapters.persistence.migrate import migrate
from adapters.persistence.tables import events
from adapters.readmodel.tables import rm_transactions
from adapters.settings import Settings
from application.statement import CsvMapping
from ops.bench.processes import running_projectors, settings_env
from ops.bench.read_side_catch_up import SPLIT
from ops.bootstrap import Runtime, bootstrap

LINES = int(os.environ.get("FINTRACK_BENCH_IMPORT_LINES", "100000"))
AMQP = os.environ.get("FINTRACK_BENCH_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
RECORDED = "domain.transaction:Transaction.Recorded"
TIMEOUT = 600.0
MAPPING = CsvMapping(
    date_column="Date",
    amount_column="Amount",
    date_format="%Y-%m-%d",
    payee_column="Payee",
    description_columns=("Text",),
    reference_column="Ref",
)


def run(url: str | sa.URL) -> list[str]:
    url = sa.make_url(url)
    migrate(url)
    var_dir = Path(tempfile.mkdtemp(prefix="fintrack-bench-imports-"))
    settings = Settings(
        database_url=url.render_as_string(hide_password=False),
        broker_url=AMQP,
        master_key_file=var_dir / "master.key",
        secret_key_file=var_dir / "secret.key",
        var_dir=var_dir,
    )
    load_master_keys(settings.master_key_file, create=True)
    load_or_create_key_file(settings.secret_key_file, create=True)
    runtime = bootstrap(settings, password_profile=CHEAP_PROFILE)
    worker = _start_worker(settings)
    lines: list[str] = []
    try:
        with running_projectors(settings_env(settings), SPLIT, var_dir):
            lines += _measure_all(runtime, worker)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        runtime.close()
    for line in lines:
        print(line, flush=True)
    return lines


def _measure_all(runtime: Runtime, worker: subprocess.Popen[bytes]) -> list[str]:
    lines: list[str] = []
    user_id = runtime.users.register(f"bench-{uuid4().hex[:8]}@example.org", "bench " * 4)
    for name, data, mapping in (
        ("CSV", _csv(LINES), MAPPING),
        ("CAMT.053", _camt(LINES), None),
    ):
        lines += _measure(runtime, user_id, name, data, mapping, worker)
        lines.append(f"peak worker memory after {name} (VmHWM): {_peak_mib(worker):.0f} MiB")
    raw = _raw_bulk_rate(runtime)
    lines.append(f"raw bulk append (executemany, 1000 rows of event size): {raw:,.0f} rows/s")
    for i, line in enumerate(lines):
        if "lines/s" in line and "upload to queryable" in line:
            rate = float(line.split(": ")[1].split(" ")[0].replace(",", ""))
            lines[i] = f"{line} ({rate / raw:.2f}x raw)"
    return lines


def _measure(  # noqa: PLR0917
    runtime: Runtime,
    user_id: UUID,
    name: str,
    data: bytes,
    mapping: CsvMapping | None,
    worker: subprocess.Popen[bytes],
) -> list[str]:
    imports = build_import_services(runtime).imports
    outcome = runtime.accounts.open(
        user_id, name=name, kind="checking", currency="EUR", opening_balance="0",
        opened_on=date(2020, 1, 1),
    )  # fmt: skip
    account = UUID(outcome.answer["id"])
    started = time.perf_counter()
    batch = imports.request(user_id, account, data, mapping=mapping, filename=f"bench.{name}")
    _until(lambda: imports.status(user_id, batch).status in ("done", "failed"), worker)
    done = time.perf_counter() - started
    view = imports.status(user_id, batch)
    if view.status != "done" or view.lines_new != LINES:
        raise RuntimeError(f"{name} import: {view.status} {view.lines_new} new, {view.reason}")
    _until(lambda: _listed(runtime, user_id, account) >= LINES, worker)
    queryable = time.perf_counter() - started
    before = _recorded(runtime)
    started = time.perf_counter()
    again = imports.request(user_id, account, data, mapping=mapping, filename=f"bench.{name}")
    _until(lambda: imports.status(user_id, again).status in ("done", "failed"), worker)
    reimport = time.perf_counter() - started
    second = imports.status(user_id, again)
    appended = _recorded(runtime) - before
    return [
        f"{name} {LINES} lines, upload to done: {done:.1f} s",
        f"{name} {LINES} lines, upload to queryable: {LINES / queryable:,.0f} lines/s "
        f"({queryable:.1f} s, {len(data) / 2**20:.1f} MiB)",
        f"{name} re-import of the same {LINES} lines: {reimport:.1f} s, "
        f"{second.lines_duplicate} duplicates, {appended} transaction events appended",
    ]


def _listed(runtime: Runtime, user_id: UUID, account: UUID) -> int:
    t = rm_transactions.c
    with runtime.engine.connect() as conn:
        return int(
            conn.scalar(
                sa.select(sa.func.count())
                .select_from(rm_transactions)
                .where(t.owner_id == user_id, t.account_id == account)
            )
            or 0
        )


def _recorded(runtime: Runtime) -> int:
    with runtime.engine.connect() as conn:
        return int(
            conn.scalar(
                sa.select(sa.func.count()).select_from(events).where(events.c.topic == RECORDED)
            )
            or 0
        )


def _raw_bulk_rate(runtime: Runtime) -> float:
    """Raw pymysql executemany of 1000-row batches, rows the size of this run's events."""
    with runtime.engine.connect() as conn:
        size = int(
            conn.scalar(
                sa.select(sa.func.avg(sa.func.length(events.c.state))).where(
                    events.c.topic == RECORDED
                )
            )
            or 300
        )
    scratch = events.to_metadata(sa.MetaData(), name="bench_raw_import_events")
    scratch.drop(runtime.engine, checkfirst=True)
    scratch.create(runtime.engine)
    raw = runtime.engine.raw_connection()
    try:
        cursor = raw.cursor()
        insert = (
            "INSERT INTO bench_raw_import_events (originator_id, originator_version, topic, state)"
            " VALUES (%s, %s, %s, %s)"
        )
        rows = 0
        started = time.perf_counter()
        for _ in range(20):
            batch = [(uuid4().bytes, 1, RECORDED, os.urandom(size)) for _ in range(1000)]
            cursor.executemany(insert, batch)
            raw.commit()
            rows += len(batch)
        return rows / (time.perf_counter() - started)
    finally:
        raw.close()
        scratch.drop(runtime.engine)


def _csv(n: int) -> bytes:
    start = date(2020, 1, 1)
    rows = [
        f"{start + timedelta(days=i % 1500)},-{1 + i % 900}.{i % 100:02d},"
        f"Merchant {i % 997},Card payment {i % 31},REF{i:08d}"
        for i in range(n)
    ]
    return ("Date,Amount,Payee,Text,Ref\n" + "\n".join(rows) + "\n").encode()


def _camt(n: int) -> bytes:
    start = date(2020, 1, 1)
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
        "<GrpHdr><MsgId>BENCH</MsgId><CreDtTm>2024-01-31T22:05:11</CreDtTm></GrpHdr>"
        "<Stmt><Id>BENCH-1</Id><Acct><Id><IBAN>DE14123456780123456789</IBAN></Id>"
        "<Ccy>EUR</Ccy></Acct>\n"
    )
    entries = [
        f'<Ntry><Amt Ccy="EUR">{1 + i % 900}.{i % 100:02d}</Amt><CdtDbtInd>DBIT</CdtDbtInd>'
        f"<Sts>BOOK</Sts><BookgDt><Dt>{start + timedelta(days=i % 1500)}</Dt></BookgDt>"
        f"<AcctSvcrRef>ACR{i:09d}</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><Cdtr>"
        f"<Nm>Merchant {i % 997}</Nm></Cdtr></RltdPties><RmtInf><Ustrd>Card payment {i % 31}"
        "</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n"
        for i in range(n)
    ]
    return (head + "".join(entries) + "</Stmt></BkToCstmrStmt></Document>\n").encode()


def _start_worker(settings: Settings) -> subprocess.Popen[bytes]:
    log = (settings.var_dir / "worker.log").open("wb")
    return subprocess.Popen(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "ops.bench.imports", "--worker", settings.database_url,
         settings.broker_url, str(settings.var_dir)],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


def _until(predicate: object, worker: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not predicate():  # type: ignore[operator]
        if worker.poll() is not None:
            raise RuntimeError(f"the worker exited with {worker.returncode}")
        if time.monotonic() > deadline:
            raise TimeoutError("the import did not finish in time")
        time.sleep(0.05)


def _peak_mib(worker: subprocess.Popen[bytes]) -> float:
    for line in Path(f"/proc/{worker.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _worker_main(database_url: str, amqp_url: str, var_dir: Path) -> None:
    import asyncio
    import logging

    from adapters.imports.tasks import RELAY_LOCK, run_import_worker
    from adapters.tasks.broker import create_broker
    from adapters.tasks.leader import leader_lock

    logging.basicConfig(level=logging.WARNING)
    settings = Settings(
        database_url=database_url,
        broker_url=amqp_url,
        master_key_file=var_dir / "master.key",
        secret_key_file=var_dir / "secret.key",
        var_dir=var_dir,
    )
    runtime = bootstrap(settings, password_profile=CHEAP_PROFILE)
    services = build_import_services(runtime)
    lock = leader_lock(RELAY_LOCK, settings.sync_url, var_dir)
    try:
        asyncio.run(run_import_worker(services, create_broker(amqp_url), lock))
    finally:
        runtime.close()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        _worker_main(sys.argv[2], sys.argv[3], Path(sys.argv[4]))
    else:
        run(sys.argv[1])
