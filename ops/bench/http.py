"""HTTP benchmark: ``fintrack serve`` (1 worker) on MariaDB, loaded by ``wrk`` from its own process.

    python -m ops.bench http

Figures (``name: value unit (ratio x)``), ratios against the same server's hello-world
(``/health/live``) req/s measured in the same run, the ceiling of this stack on this machine:
- record-transaction commands/s (authenticated JSON POSTs, encrypted events) at 1, 8 and 32
  connections, each after a short unmeasured warm-up at that concurrency, with p50/p99 latency
  and the count of non-2xx answers (must be 0): first with the projector stopped (a worker's own
  capacity), then at 8 with a projector process sharing the machine's two cores;
- list and report queries (GET) over ``SEED_TRANSACTIONS`` transactions of the user, p50/p99,
  with one client (the latency of a query) and eight (one worker's throughput), each after a
  second's unmeasured warm-up (the first request of a query's shape compiles its SQL).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import sqlalchemy as sa

from adapters.http.auth.passwords import CHEAP_PROFILE
from adapters.settings import Settings
from domain.account import Account
from domain.actor import Actor
from domain.money import Money
from domain.transaction import Transaction
from ops.bench.processes import RunningServer, running_projectors, running_server
from ops.bootstrap import bootstrap

SEED_TRANSACTIONS = int(os.environ.get("FINTRACK_BENCH_HTTP_SEED", "200000"))
SEED_BATCH = 1000
COMMAND_SECONDS = 8
# Each load level runs this long unmeasured first: the pools grow to the new concurrency (MariaDB
# connections, threads) before latency is sampled, so p99 is the steady state's.
WARM_UP_SECONDS = 2
QUERY_SECONDS = 5
PASSWORD = "a long and unusual passphrase"  # noqa: S105 - a throwaway bench user


@dataclass(frozen=True)
class Load:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: int


def run(url: str | sa.URL) -> list[str]:
    if shutil.which("wrk") is None:
        return ["http: skipped (wrk is not installed: apt-get install -y wrk)"]
    url = sa.make_url(url)
    with tempfile.TemporaryDirectory() as scratch:
        var_dir = Path(scratch)
        database = url.render_as_string(hide_password=False)
        with running_server(database, var_dir, projector=False) as server:
            return _measure(server, var_dir)


def _measure(server: RunningServer, var_dir: Path) -> list[str]:
    token, account_id = _sign_up(server.base_url)
    auth = f"Bearer {token}"
    lines: list[str] = []
    ceiling = wrk(f"{server.base_url}/health/live", connections=32, seconds=QUERY_SECONDS)
    lines.append(
        f"http hello-world (/health/live, c=32): {ceiling.requests_per_s:.0f} req/s "
        f"(1.00 x); p50 {ceiling.p50_ms:.1f} ms, p99 {ceiling.p99_ms:.1f} ms"
    )
    body = json.dumps(
        {
            "account_id": account_id,
            "amount": "-12.34",
            "booked_on": "2026-01-15",
            "payee": "Corner shop",
            "description": "bench",
            "tags": ["bench"],
        }
    )
    script = _post_script(var_dir, "/api/v1/transactions", body, auth)
    url = f"{server.base_url}/api/v1/transactions"
    # The server alone first: one worker's capacity, with the projector elsewhere. Then at 8
    # connections again with a projector process on the same two cores, catching up meanwhile.
    for connections in (1, 8, 32):
        wrk(url, connections=connections, seconds=WARM_UP_SECONDS, script=script)
        load = wrk(url, connections=connections, seconds=COMMAND_SECONDS, script=script)
        lines.append(_command_line(f"c={connections}", load, ceiling))
    with running_projectors(server.env, [()], server.log_dir):
        wrk(url, connections=8, seconds=WARM_UP_SECONDS, script=script)
        load = wrk(url, connections=8, seconds=COMMAND_SECONDS, script=script)
        lines.append(_command_line("c=8 with the projector running", load, ceiling))
        lines += _queries(server, var_dir, account_id, auth, ceiling)
    return lines


def _command_line(label: str, load: Load, ceiling: Load) -> str:
    return (
        f"http record-transaction {label}: {load.requests_per_s:.0f} commands/s "
        f"({load.requests_per_s / ceiling.requests_per_s:.3f} x); p50 {load.p50_ms:.1f} ms, "
        f"p99 {load.p99_ms:.1f} ms, non-2xx {load.non_2xx}, socket errors {load.socket_errors}"
    )


def _queries(
    server: RunningServer, var_dir: Path, account_id: str, auth: str, ceiling: Load
) -> list[str]:
    lines: list[str] = []
    seeded, seconds = _seed(server.env, UUID(account_id), SEED_TRANSACTIONS)
    lines.append(
        f"http seed (ledger.save, {SEED_BATCH}/save): {seeded / seconds:.0f} tx/s "
        f"({seeded} transactions in {seconds:.1f} s)"
    )
    caught_up = _wait_for_projector(server.base_url, auth)
    lines.append(f"http projector catch-up after seeding: {caught_up:.1f} s")
    queries = {
        "list first page (limit 50)": "/api/v1/transactions?limit=50",
        "list filtered (account, dates, amount)": (
            f"/api/v1/transactions?account_id={account_id}&date_from=2024-03-01"
            "&date_to=2024-06-30&amount_max=-10&limit=50"
        ),
        "list text search (q)": "/api/v1/transactions?q=shop&limit=50",
        "accounts with balances": "/api/v1/accounts",
        "category totals (1 year)": (
            "/api/v1/reports/category-totals?date_from=2024-01-01&date_to=2024-12-31"
        ),
        "cash flow (1 year)": "/api/v1/reports/cash-flow?date_from=2024-01-01&date_to=2024-12-31",
        "balance series (1 year, by day)": (
            "/api/v1/reports/balance-series?date_from=2024-01-01&date_to=2024-12-31&interval=day"
        ),
    }
    # One client: the latency of a query itself. Eight: the throughput of one worker, where
    # latency is mostly the wait behind the seven other requests on its one core.
    for connections in (1, 8):
        for name, path in queries.items():
            script = _get_script(var_dir, auth)
            wrk(f"{server.base_url}{path}", connections=connections, seconds=1, script=script)
            load = wrk(
                f"{server.base_url}{path}",
                connections=connections,
                seconds=QUERY_SECONDS,
                script=script,
            )
            lines.append(
                f"http {name} c={connections} at {seeded // 1000}k tx: "
                f"{load.requests_per_s:.0f} req/s "
                f"({load.requests_per_s / ceiling.requests_per_s:.3f} x); "
                f"p50 {load.p50_ms:.1f} ms, p99 {load.p99_ms:.1f} ms, non-2xx {load.non_2xx}"
            )
    return lines


def wrk(url: str, *, connections: int, seconds: int, script: Path | None = None) -> Load:
    command = [
        "wrk",
        f"-t{min(connections, 2)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "5s",
    ]
    if script is not None:
        command += ["-s", str(script)]
    output = subprocess.run(  # noqa: S603 - wrk with our own arguments
        [*command, url], capture_output=True, text=True, check=True
    ).stdout
    return parse_wrk(output)


def parse_wrk(output: str) -> Load:
    def latency(percent: str) -> float:
        found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        if found is None:
            return float("nan")
        return float(found[1]) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[found[2]]

    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return Load(
        requests_per_s=float(rate[1]) if rate else 0.0,
        p50_ms=latency("50"),
        p99_ms=latency("99"),
        requests=int(total[1]) if total else 0,
        non_2xx=int(non_2xx[1]) if non_2xx else 0,
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
    )


def _post_script(folder: Path, path: str, body: str, auth: str) -> Path:
    script = folder / "post.lua"
    script.write_text(
        f'wrk.method = "POST"\nwrk.path = {json.dumps(path)}\nwrk.body = {json.dumps(body)}\n'
        f'wrk.headers["Content-Type"] = "application/json"\n'
        f'wrk.headers["Authorization"] = {json.dumps(auth)}\n'
    )
    return script


def _get_script(folder: Path, auth: str) -> Path:
    script = folder / "get.lua"
    script.write_text(f'wrk.headers["Authorization"] = {json.dumps(auth)}\n')
    return script


def _request(base_url: str, method: str, path: str, body: Any = None, auth: str = "") -> Any:
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"} if data else {}
    if auth:
        headers["Authorization"] = auth
    request = urllib.request.Request(  # noqa: S310 - our own server
        f"{base_url}{path}", data=data, method=method, headers=headers
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
        return json.loads(answer.read() or b"null")


def _sign_up(base_url: str) -> tuple[str, str]:
    credentials = {"email": "bench@example.org", "password": PASSWORD}
    _request(base_url, "POST", "/api/v1/auth/register", credentials)
    token = str(_request(base_url, "POST", "/api/v1/auth/login", credentials)["access_token"])
    account = _request(
        base_url,
        "POST",
        "/api/v1/accounts",
        {
            "name": "Bench",
            "kind": "checking",
            "currency": "EUR",
            "opening_balance": "0",
            "opened_on": "2020-01-01",
        },
        auth=f"Bearer {token}",
    )
    return token, str(account["id"])


def _seed(env: dict[str, str], account_id: UUID, count: int) -> tuple[int, float]:
    """``count`` transactions straight through the ledger, ``SEED_BATCH`` per save."""
    runtime = bootstrap(Settings.from_env(env), password_profile=CHEAP_PROFILE)
    started = time.perf_counter()
    try:
        account: Account = runtime.ledger.repository.get(account_id)
        actor = Actor.user(account.owner_id)
        shops = ["Corner shop", "Bakery", "Market", "Pharmacy", "Bookshop", "Garage"]
        for start in range(0, count, SEED_BATCH):
            made = [
                Transaction.record(
                    account,
                    id=uuid4(),
                    amount=Money(Decimal(-((n * 7919) % 20000) - 1) / 100, account.currency),
                    booked_on=date(2023, 1, 1) + timedelta(days=n % 1095),
                    payee=shops[n % len(shops)],
                    description=f"purchase {n}",
                    tags=("seed",) if n % 5 == 0 else (),
                    actor=actor,
                )
                for n in range(start, min(start + SEED_BATCH, count))
            ]
            runtime.ledger.save(*made)
    finally:
        runtime.close()
    return count, time.perf_counter() - started


def _wait_for_projector(base_url: str, auth: str, timeout: float = 900.0) -> float:
    """Seconds until the views reached the log's head (polled through min_position)."""
    started = time.perf_counter()
    head = _request(
        base_url, "POST", "/api/v1/categories", {"name": "Bench marker", "kind": "expense"}, auth
    )["position"]
    while time.perf_counter() - started < timeout:
        try:
            _request(base_url, "GET", f"/api/v1/categories?min_position={head}", auth=auth)
            return time.perf_counter() - started
        except urllib.error.HTTPError as error:
            if error.code != 503:
                raise
    raise RuntimeError("the projector did not catch up")
