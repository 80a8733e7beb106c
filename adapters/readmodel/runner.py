"""``run_projector``: the projector process's main loop (``fintrack projector``, or a thread of
``fintrack serve`` in the embedded default).

Exactly one instance is active: it holds the leader lock (a MariaDB named lock on its own
connection, or a file lock next to the SQLite database). Standbys retry every ``standby_poll``
seconds and take over when the holder dies. Correctness does not rest on the lock: pages commit
with their tracking positions and refuse to apply if those moved, so the lock only spares work.
"""

from __future__ import annotations

import logging
import threading
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
    """Follow the log until ``stop_event`` is set: lead (or stand by), apply pages, idle-poll."""
    settings = runtime.settings
    lock = leader_lock(LOCK_NAME, settings.sync_url, settings.var_dir)
    projector = build_projector(runtime, page_size=page_size, chosen=chosen)
    leading = False
    try:
        while not stop_event.is_set():
            if not _acquire(lock):
                if leading:
                    log.warning("projector lost the leader lock; standing by")
                leading = False
                stop_event.wait(standby_poll)
                continue
            if not leading:
                log.info("projector is the leader")
                leading = True
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
        lock.release()


def _acquire(lock: LeaderLock) -> bool:
    try:
        return lock.acquire()
    except Exception:  # the database is unreachable: stand by and try again
        log.exception("projector could not reach the leader lock")
        return False
