"""Read-side fixtures: a wired runtime (SQLite and MariaDB) and a loop for the async queries."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy.engine import URL, make_url

from adapters.readmodel.reader import create_read_engine
from adapters.readmodel.transaction_queries import TransactionQueries
from ops.bootstrap import Runtime
from tests.conftest import create_mariadb_database, drop_mariadb_database
from tests.integration.readmodel.read_runtime import open_runtime

T = TypeVar("T")


@pytest.fixture
def runtime(database_url: URL, tmp_path: Path) -> Iterator[Runtime]:
    opened = open_runtime(database_url, tmp_path / "var")
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def mariadb_runtime(mariadb_url: URL, tmp_path: Path) -> Iterator[Runtime]:
    opened = open_runtime(mariadb_url, tmp_path / "var")
    try:
        yield opened
    finally:
        opened.close()


class Reads:
    """The async queries, run to completion from a synchronous test."""

    def __init__(self, runtime: Runtime) -> None:
        self.loop = asyncio.new_event_loop()
        self.engine = create_read_engine(runtime.settings)
        self.queries = TransactionQueries(self.engine, runtime.keyring, runtime.secret_key)

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coroutine)

    def close(self) -> None:
        self.loop.run_until_complete(self.engine.dispose())
        self.loop.close()


@pytest.fixture
def reads(runtime: Runtime) -> Iterator[Reads]:
    opened = Reads(runtime)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture(scope="module", params=["sqlite", "mariadb"])
def shared_runtime(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Runtime]:
    """One runtime for a whole module of tests that only add to it (SQLite, then MariaDB)."""
    var_dir = tmp_path_factory.mktemp("shared")
    if request.param == "sqlite":
        url = make_url(f"sqlite:///{var_dir / 'fintrack.db'}")
    else:
        url = create_mariadb_database(request.getfixturevalue("mariadb_server"))
    opened = open_runtime(url, var_dir / "var")
    try:
        yield opened
    finally:
        opened.close()
        if request.param == "mariadb":
            drop_mariadb_database(url)


@pytest.fixture(scope="module")
def shared_reads(shared_runtime: Runtime) -> Iterator[Reads]:
    opened = Reads(shared_runtime)
    try:
        yield opened
    finally:
        opened.close()
