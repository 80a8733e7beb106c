"""A private RabbitMQ node for outage tests. The shared node on :5672 is never touched.

The node gets its own name, ports, data and log directories (owned by ``rabbitmq``, else it fails
with ``eacces``), its own empty config and plugin files (the system config would make it listen on
:5672 too), and is stopped at the end of the session. Starting it needs root (``rabbitmq-server``
switches to the ``rabbitmq`` user) and takes about 5 s.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.services import unavailable

_CLI_PORTS = range(35672, 35683)  # rabbitmqctl's own distribution ports: never give them out


def free_port() -> int:
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port: int = sock.getsockname()[1]
        if port not in _CLI_PORTS:
            return port


@dataclass
class RabbitNode:
    name: str
    port: int
    base: Path
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/"

    def ctl(self, *args: str, timeout: float = 60) -> str:
        done = subprocess.run(
            ["rabbitmqctl", "-n", self.name, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"rabbitmqctl {' '.join(args)}: {done.stdout}{done.stderr}")
        return done.stdout

    def await_startup(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.ctl("await_startup", "--timeout", "10", timeout=20)
                return
            except (RuntimeError, subprocess.TimeoutExpired):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def stop_app(self) -> None:
        self.ctl("stop_app")

    def start_app(self) -> None:
        self.ctl("start_app")
        self.await_startup()

    def stop(self) -> None:
        try:
            self.ctl("stop", timeout=30)
            self.process.wait(timeout=30)
        except (RuntimeError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)  # our own session, started below
            self.process.wait(timeout=10)


def start_private_node() -> RabbitNode:
    base = Path(tempfile.mkdtemp(prefix="fintrack-rmq-"))
    base.chmod(0o755)
    for sub in ("mnesia", "log"):
        (base / sub).mkdir()
    (base / "enabled_plugins").write_text("[].\n")
    (base / "rabbitmq.conf").write_text("")
    (base / "rabbitmq-env.conf").write_text("")
    shutil.chown(base, "rabbitmq", "rabbitmq")
    for path in base.iterdir():
        shutil.chown(path, "rabbitmq", "rabbitmq")
    name, port = f"fintrack-test-{secrets.token_hex(4)}@localhost", free_port()
    env = {
        **os.environ,
        "RABBITMQ_NODENAME": name,
        "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
        "RABBITMQ_NODE_PORT": str(port),
        "RABBITMQ_DIST_PORT": str(free_port()),
        "RABBITMQ_MNESIA_BASE": str(base / "mnesia"),
        "RABBITMQ_LOG_BASE": str(base / "log"),
        "RABBITMQ_CONFIG_FILE": str(base / "rabbitmq.conf"),
        "RABBITMQ_CONF_ENV_FILE": str(base / "rabbitmq-env.conf"),
        "RABBITMQ_ENABLED_PLUGINS_FILE": str(base / "enabled_plugins"),
        "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
    }
    with (base / "server.out").open("wb") as out:
        process = subprocess.Popen(
            ["rabbitmq-server"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    node = RabbitNode(name=name, port=port, base=base, process=process)
    try:
        node.await_startup()
    except BaseException:
        node.stop()
        raise
    return node


@pytest.fixture(scope="session")
def rabbitmq_node() -> Iterator[RabbitNode]:
    """A private RabbitMQ node for this test session (stop_app/start_app are safe on it)."""
    if os.geteuid() != 0 or shutil.which("rabbitmq-server") is None:
        unavailable("RabbitMQ", "a private node needs root and rabbitmq-server")
    node = start_private_node()
    try:
        yield node
    finally:
        node.stop()
        shutil.rmtree(node.base, ignore_errors=True)
