"""Run ``fintrack serve`` and ``fintrack projector`` as real processes (e2e tests and the HTTP
and import benches): a migrated database, key files in a scratch folder, a free port, ready when
``/health/ready`` says so, and everything stopped (SIGTERM, then SIGKILL) on the way out."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from adapters.crypto.key_file import load_or_create_key_file
from adapters.crypto.master_key import load_master_keys
from adapters.persistence.migrate import migrate
from adapters.settings import Settings

READY_TIMEOUT_S = 60.0
_FINTRACK = [sys.executable, "-c", "from ops.cli import main; main()"]


@dataclass(frozen=True)
class RunningServer:
    base_url: str
    env: dict[str, str]
    log_dir: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment that configures a child process as ``settings`` do."""
    return {
        **os.environ,
        "FINTRACK_DATABASE_URL": settings.database_url,
        "FINTRACK_VAR_DIR": str(settings.var_dir),
        "FINTRACK_MASTER_KEY_FILE": str(settings.master_key_file),
        "FINTRACK_SECRET_KEY_FILE": str(settings.secret_key_file),
        "FINTRACK_BROKER_URL": settings.broker_url,
    }


def server_env(database_url: str, var_dir: Path) -> dict[str, str]:
    """The environment of every process; the database is migrated and the key files exist."""
    var_dir.mkdir(parents=True, exist_ok=True)
    settings = Settings(
        database_url=database_url,
        master_key_file=var_dir / "master.key",
        secret_key_file=var_dir / "secret.key",
        var_dir=var_dir,
    )
    load_master_keys(settings.master_key_file, create=True)
    load_or_create_key_file(settings.secret_key_file, create=True)
    migrate(settings.sync_url)
    return settings_env(settings)


@contextmanager
def running_server(
    database_url: str, var_dir: Path, *, workers: int = 1, projector: bool = True
) -> Iterator[RunningServer]:
    env = server_env(database_url, var_dir)
    port = free_port()
    processes: list[subprocess.Popen[bytes]] = []
    try:
        if projector:
            processes.append(_start([*_FINTRACK, "projector"], env, var_dir / "projector.log"))
        processes.append(
            _start(
                [*_FINTRACK, "serve", "--port", str(port), "--workers", str(workers)],
                env,
                var_dir / "serve.log",
            )
        )
        base_url = f"http://127.0.0.1:{port}"
        _wait_ready(base_url, processes, var_dir)
        yield RunningServer(base_url, env, var_dir)
    finally:
        for process in reversed(processes):
            _stop(process)


@contextmanager
def running_projectors(
    env: dict[str, str], groups: Sequence[Sequence[str]], log_dir: Path
) -> Iterator[None]:
    """One ``fintrack projector --projection …`` per group of projection names (an empty group:
    a projector of every projection)."""
    processes = [
        _start(
            [*_FINTRACK, "projector", *(arg for name in names for arg in ("--projection", name))],
            env,
            log_dir / f"projector-{n}.log",
        )
        for n, names in enumerate(groups)
    ]
    try:
        yield
    finally:
        for process in processes:
            _stop(process)


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and module
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _wait_ready(base_url: str, processes: list[subprocess.Popen[bytes]], logs: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            raise RuntimeError(f"a server process exited; see the logs in {logs}")
        try:
            with urllib.request.urlopen(f"{base_url}/health/ready", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server was not ready within {READY_TIMEOUT_S:.0f} s; see {logs}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
