"""``replay``: rebuild projections from the event log into scratch tables, then swap them in.

Live reads (and the live projector) keep working on the live tables during the rebuild. The
scratch tables follow the log to its end, then replace the live ones atomically together with the
tracking positions they reached (``swap.swap_in``); the projector carries on from there.
``progress`` is called after every page with events done, the total, events/s and an ETA.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from time import monotonic

from adapters.persistence.transaction import writing
from adapters.readmodel.projector import (
    PAGE_SIZE,
    PageResult,
    Projector,
    set_position,
    tracking_name,
)
from adapters.readmodel.registry import select_writers
from adapters.readmodel.swap import swap_in
from adapters.readmodel.table_sets import SCRATCH, ScratchTables
from adapters.readmodel.writer import ProjectionWriter
from adapters.runtime import CoreRuntime
from adapters.tasks.leader import leader_lock
from domain.errors import Conflict


@dataclass(frozen=True, slots=True)
class ReplayProgress:
    done: int  # events applied so far
    total: int  # events in the log when the rebuild started (it may grow meanwhile)
    events_per_second: float
    eta_seconds: float | None


@dataclass(frozen=True, slots=True)
class ReplayResult:
    projections: tuple[str, ...]
    events: int
    seconds: float
    position: int  # the log position the swapped-in tables reached


def build_scratch(
    runtime: CoreRuntime,
    chosen: Sequence[ProjectionWriter],
    *,
    page_size: int = PAGE_SIZE,
    stop: int | None = None,
    progress: Callable[[ReplayProgress], None] | None = None,
) -> tuple[ScratchTables, Projector, int]:
    """Create empty scratch tables and fold the log into them (up to ``stop``)."""
    engine = runtime.engine
    scratch = ScratchTables([t for w in chosen for t in w.tables()], engine.dialect.name)
    projector = Projector(
        engine,
        runtime.ledger.recorder,
        runtime.ledger.mapper,
        chosen,
        page_size=page_size,
        tables=scratch,
        tracking_suffix=SCRATCH,
    )
    with writing(engine) as conn:
        scratch.create(conn)
        for name in projector.names:
            set_position(conn, name, 0)
    total = stop or runtime.ledger.recorder.max_notification_id() or 0
    started = monotonic()

    def on_page(result: PageResult) -> None:
        if progress is None:
            return
        elapsed = max(monotonic() - started, 1e-9)
        rate = result.position / elapsed  # positions are dense enough to estimate with
        left = max(total - result.position, 0)
        progress(ReplayProgress(result.position, total, rate, left / rate if rate else None))

    applied = projector.catch_up(stop, on_page)
    return scratch, projector, applied


REBUILD_LOCK = "fintrack-rebuild"


class RebuildInProgress(Conflict):
    def __init__(self) -> None:
        super().__init__("another replay or verify is rebuilding the scratch tables; try later")


@contextmanager
def exclusive_rebuild(runtime: CoreRuntime) -> Iterator[None]:
    """Replays and verifies share the scratch tables and their tracking rows: one at a time."""
    settings = runtime.settings
    lock = leader_lock(REBUILD_LOCK, settings.sync_url, settings.var_dir)
    if not lock.acquire():
        raise RebuildInProgress
    try:
        yield
    finally:
        lock.release()


def replay(
    runtime: CoreRuntime,
    projection: str | None = None,
    *,
    progress: Callable[[ReplayProgress], None] | None = None,
    page_size: int = PAGE_SIZE,
) -> ReplayResult:
    """Rebuild one projection (or all) from the log and swap the result in; see module doc."""
    started = monotonic()
    chosen = select_writers(runtime.keyring, [projection] if projection else [])
    with exclusive_rebuild(runtime):
        scratch, projector, applied = build_scratch(
            runtime, chosen, page_size=page_size, progress=progress
        )
        applied += projector.catch_up()  # what arrived during the rebuild
        reached = projector.positions()
        position = min(reached.values(), default=0)
        positions: dict[str, int] = {}
        for writer in chosen:
            positions[tracking_name(writer.name)] = reached[tracking_name(writer.name, SCRATCH)]
            positions[tracking_name(writer.name, SCRATCH)] = 0
        swap_in(runtime.engine, scratch.live_names(), positions)
    return ReplayResult(tuple(w.name for w in chosen), applied, monotonic() - started, position)
