"""``run_projector``: the projector process's main loop (``fintrack projector``, or a thread of
``fintrack serve`` in the embedded default).

Exactly one instance is active per projection: a projector runs the projections whose leader lock
it holds (a MariaDB named lock each, on its own connection, or a file lock each next to the SQLite
database) and retries the others every ``standby_poll`` seconds, taking each over when its holder
dies. So several projector processes, each given some of the projections, use several cores, and
one given all of them stands by for whichever of theirs dies. Correctness does not rest on the
locks: pages commit with their tracking positions and refuse to apply if those moved, so the locks
only spare work.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Sequence

from adapters.readmodel.projector import PAGE_SIZE, PageResult, Projector
from adapters.readmodel.registry import writers
from adapters.readmodel.writer import ProjectionWriter
from adapters.runtime import CoreRuntime as Runtime
from adapters.tasks.leader import LeaderLock, leader_lock

LOCK_NAME = "fintrack-projector"
log = logging.getLogger(__name__)


def build_projector(
    runtime: Runtime,
    *,
    page_size: int = PAGE_SIZE,
    chosen: Sequence[ProjectionWriter] | None = None,
) -> Projector:
    """The live projector of every registered projection (or of ``chosen`` writers)."""
    return Projector(
        runtime.engine,
        runtime.ledger.recorder,
        runtime.ledger.mapper,
        writers(runtime.keyring) if chosen is None else chosen,
        page_size=page_size,
    )


def run_projector(
    runtime: Runtime,
    stop_event: threading.Event,
    *,
    page_size: int = PAGE_SIZE,
    idle_poll: float = 0.1,
    standby_poll: float = 1.0,
    on_page: Callable[[PageResult], None] | None = None,
    chosen: Sequence[ProjectionWriter] | None = None,
) -> None:
    """Follow the log until ``stop_event`` is set: apply pages to the projections led, idle-poll."""
    settings = runtime.settings
    candidates = writers(runtime.keyring) if chosen is None else list(chosen)
    locks = {
        w.name: leader_lock(_lock_name(w.name), settings.sync_url, settings.var_dir)
        for w in candidates
    }
    build = functools.partial(build_projector, runtime, page_size=page_size)
    led: list[ProjectionWriter] = []
    projector: Projector | None = None
    check_at = 0.0
    try:
        while not stop_event.is_set():
            if time.monotonic() >= check_at:  # every standby_poll: still ours? any freed?
                check_at = time.monotonic() + standby_poll
                held = [w for w in candidates if _acquire(locks[w.name])]
                if held != led:
                    names = ", ".join(w.name for w in held) or "none, standing by"
                    log.info("projector leads: %s", names)
                    led = held
                    projector = build(chosen=led) if led else None
            if projector is None:
                stop_event.wait(standby_poll)
                continue
            try:
                result = projector.run_page()
            except Exception:  # a lost connection, a deadlock...: the page rolled back; retry
                log.exception("projector page failed; retrying in %.1f s", standby_poll)
                stop_event.wait(standby_poll)
                continue
            if result.events and on_page is not None:
                on_page(result)
            if result.events == 0 and not result.retried:
                stop_event.wait(idle_poll)
    finally:
        for lock in locks.values():
            lock.release()


def _lock_name(projection: str) -> str:
    return f"{LOCK_NAME}-{projection}"


def _acquire(lock: LeaderLock) -> bool:
    try:
        return lock.acquire()
    except Exception:  # the database is unreachable: stand by and try again
        log.exception("projector could not reach the leader lock")
        return False
