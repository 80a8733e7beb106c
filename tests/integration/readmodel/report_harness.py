"""A runtime on a fresh database with the report tables, and a stand-in projector for them.

``ReportHarness.project()`` reads the log from where it stopped, decodes a page at a time and
applies the report writers in one transaction per page, as the projector runtime does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from adapters.crypto.key_file import load_or_create_key_file
from adapters.http.auth.passwords import CHEAP_PROFILE
from adapters.persistence.metadata import metadata
from adapters.persistence.migrate import migrate
from adapters.persistence.transaction import writing
from adapters.readmodel.balance_writer import BalancesWriter
from adapters.readmodel.category_writers import CategoryTotalsWriter, CategoryTreeWriter
from adapters.readmodel.runner import build_projector
from adapters.readmodel.sealing import KeyringTextProtector
from adapters.readmodel.writer import ProjectionWriter
from adapters.settings import Settings
from ops.bootstrap import Runtime, bootstrap
from projections.envelope import Envelope

T = TypeVar("T")


class _Live:
    def __getitem__(self, table: sa.Table) -> sa.Table:
        return table


@dataclass
class ReportHarness:
    runtime: Runtime
    protector: KeyringTextProtector
    writers: Sequence[ProjectionWriter]
    async_engine: AsyncEngine
    position: int = 0
    loop: asyncio.AbstractEventLoop = field(default_factory=asyncio.new_event_loop)

    def project(self, page_size: int = 1000) -> int:
        """Apply every event after ``position``; return how many were applied."""
        recorder = self.runtime.ledger.recorder
        mapper = self.runtime.ledger.mapper
        applied = 0
        while True:
            notifications = recorder.select_notifications(
                self.position + 1, page_size, inclusive_of_start=True
            )
            if not notifications:
                return applied
            page = [Envelope(n.id, mapper.to_domain_event(n)) for n in notifications]
            with writing(self.runtime.engine) as conn:
                for writer in self.writers:
                    writer.apply(conn, page, _Live())
            self.position = notifications[-1].id
            applied += len(page)

    def project_all(self, page_size: int = 1000) -> int:
        """Run the real projector (every registered writer, tracked) to the head of the log."""
        return build_projector(self.runtime, page_size=page_size).catch_up()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coroutine)

    def close(self) -> None:
        self.loop.run_until_complete(self.async_engine.dispose())
        self.loop.close()
        self.runtime.close()


def report_tables() -> list[sa.Table]:
    return [t for name, t in metadata.tables.items() if name.startswith("rm_")]


def open_harness(url: URL, var_dir: Path) -> ReportHarness:
    settings = Settings.from_env(
        {"FINTRACK_DATABASE_URL": url.render_as_string(hide_password=False),
         "FINTRACK_VAR_DIR": str(var_dir)}
    )  # fmt: skip
    load_or_create_key_file(settings.master_key_file, create=True)
    load_or_create_key_file(settings.secret_key_file, create=True)
    migrate(settings.sync_url)
    runtime = bootstrap(settings, password_profile=CHEAP_PROFILE)
    metadata.create_all(runtime.engine, tables=report_tables(), checkfirst=True)
    protector = KeyringTextProtector(runtime.keyring)
    writers: list[ProjectionWriter] = [
        BalancesWriter(protector),
        CategoryTreeWriter(protector),
        CategoryTotalsWriter(),
    ]
    return ReportHarness(runtime, protector, writers, create_async_engine(settings.async_url))


@pytest.fixture
def harness(database_url: URL, tmp_path: Path) -> Iterator[ReportHarness]:
    opened = open_harness(database_url, tmp_path)
    try:
        yield opened
    finally:
        opened.close()
