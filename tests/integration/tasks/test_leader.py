"""Leader locks on a real MariaDB and a real file: one holder, and a dead holder's lock is freed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from adapters.tasks.leader import LeaderLock, MariaDBLeaderLock, leader_lock

REPO = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.timeout(30)

_HOLD = """
import sys, time
from pathlib import Path
from sqlalchemy.engine import make_url
from adapters.tasks.leader import leader_lock
lock = leader_lock("fintrack-scheduler", make_url(sys.argv[1]), Path(sys.argv[2]))
assert lock.acquire()
print("held", flush=True)
time.sleep(60)
"""


@pytest.fixture(params=["file", "mariadb"])
def lock_target(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[URL, Path]:
    if request.param == "mariadb":
        url: URL = request.getfixturevalue("mariadb_url")
        return url, tmp_path
    return sa.make_url(f"sqlite:///{tmp_path / 'fintrack.db'}"), tmp_path


def _lock(target: tuple[URL, Path]) -> LeaderLock:
    return leader_lock("fintrack-scheduler", *target)


def test_only_one_of_two_instances_holds_the_lock(lock_target: tuple[URL, Path]) -> None:
    first, second = _lock(lock_target), _lock(lock_target)
    try:
        assert first.acquire()
        assert not second.acquire()
        assert first.is_held()
        assert not second.is_held()
    finally:
        first.release()
        second.release()


def test_a_released_lock_can_be_taken_by_the_standby(lock_target: tuple[URL, Path]) -> None:
    first, second = _lock(lock_target), _lock(lock_target)
    try:
        assert first.acquire()
        first.release()
        assert second.acquire()
        assert not first.is_held()
    finally:
        second.release()


def test_the_lock_of_a_killed_holder_passes_to_the_standby(lock_target: tuple[URL, Path]) -> None:
    url, var_dir = lock_target
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, url.render_as_string(hide_password=False), str(var_dir)],
        cwd=REPO,
        stdout=subprocess.PIPE,
    )
    standby = _lock(lock_target)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == b"held\n"
        assert not standby.acquire()
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
        deadline = time.monotonic() + 10
        while not standby.acquire():
            assert time.monotonic() < deadline, "the dead holder's lock was never freed"
            time.sleep(0.2)
    finally:
        standby.release()
        if holder.poll() is None:
            holder.kill()
            holder.wait()


def test_a_mariadb_leader_whose_connection_dies_no_longer_holds_the_lock(
    mariadb_url: URL,
) -> None:
    leader, standby = MariaDBLeaderLock(mariadb_url, "s"), MariaDBLeaderLock(mariadb_url, "s")
    try:
        assert leader.acquire()
        engine = sa.create_engine(mariadb_url)
        with engine.connect() as conn:
            owner = conn.scalar(sa.text("SELECT IS_USED_LOCK(:n)"), {"n": leader.name})
            conn.execute(sa.text(f"KILL CONNECTION {int(owner)}"))
        engine.dispose()
        assert not leader.is_held()
        assert standby.acquire()
    finally:
        leader.release()
        standby.release()


def test_mariadb_lock_names_past_the_servers_limit_stay_distinct(mariadb_url: URL) -> None:
    stem = "fintrack-projector-" + "x" * 60
    first = MariaDBLeaderLock(mariadb_url, stem + "-a")
    second = MariaDBLeaderLock(mariadb_url, stem + "-b")
    try:
        assert len(first.name) == len(second.name) == 64
        assert first.name != second.name
        assert first.acquire()
        assert second.acquire()  # another name: not blocked by the first
        assert not MariaDBLeaderLock(mariadb_url, stem + "-a").acquire()
    finally:
        first.release()
        second.release()
