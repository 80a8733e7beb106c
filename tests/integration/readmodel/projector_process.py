"""A projector process for the crash test: ``python -m ... URL VAR_DIR PAGE_SIZE [STALL_FILE]``.

With ``STALL_FILE``, the last writer stalls inside its transaction on the first page, after it has
written its rows and before the commit, and creates ``STALL_FILE`` to say so: the test SIGKILLs it
there (the other writers commit in transactions of their own, before or meanwhile).
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, make_url

from adapters.http.auth.passwords import CHEAP_PROFILE
from adapters.readmodel.registry import writers
from adapters.readmodel.runner import run_projector
from adapters.readmodel.writer import ProjectionWriter, TableSet
from ops.bootstrap import bootstrap
from projections.envelope import Envelope
from tests.integration.readmodel.read_runtime import settings_for


class StallingWriter:
    """Wraps the last writer: after it has written the page, announce and stall forever."""

    def __init__(self, inner: ProjectionWriter, stall_file: Path) -> None:
        self.name = inner.name
        self._inner = inner
        self._stall_file = stall_file

    def tables(self) -> Sequence[sa.Table]:
        return self._inner.tables()

    def apply(self, conn: Connection, page: Sequence[Envelope], tables: TableSet) -> None:
        self._inner.apply(conn, page, tables)
        self._stall_file.write_text(str(len(page)))
        time.sleep(3600)


def main() -> None:
    url, var_dir, page_size = make_url(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    stall = Path(sys.argv[4]) if len(sys.argv) > 4 else None
    runtime = bootstrap(settings_for(url, var_dir), password_profile=CHEAP_PROFILE)
    chosen = writers(runtime.keyring)
    if stall is not None:
        chosen[-1] = StallingWriter(chosen[-1], stall)
    run_projector(runtime, threading.Event(), page_size=page_size, idle_poll=0.05, chosen=chosen)


if __name__ == "__main__":
    main()
