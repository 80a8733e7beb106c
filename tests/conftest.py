"""Fixtures for the real services: a throwaway MariaDB database and SQLite files.

MariaDB tests run against 127.0.0.1:3306 (root, no password) unless FINTRACK_TEST_MARIADB_URL says
otherwise. When the server is unreachable they fail (see ``tests.services``): a run must never pass
by skipping the real database.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from tests.services import unavailable

MARIADB_SERVER_URL = os.environ.get(
    "FINTRACK_TEST_MARIADB_URL", "mariadb+pymysql://root@127.0.0.1:3306/?charset=utf8mb4"
)


@pytest.fixture(scope="session")
def mariadb_server() -> URL:
    url = make_url(MARIADB_SERVER_URL)
    try:
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
    except sa.exc.OperationalError as error:
        unavailable("MariaDB", str(error.orig))
    return url


def create_mariadb_database(server: URL) -> URL:
    """Create an empty, uniquely named database and return its URL (the caller drops it)."""
    name = f"fintrack_test_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(server)
    with engine.begin() as conn:
        conn.execute(sa.text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4"))
    engine.dispose()
    return server.set(database=name)


def drop_mariadb_database(url: URL) -> None:
    engine = sa.create_engine(url.set(database=""))
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS `{url.database}`"))
    engine.dispose()


@pytest.fixture
def mariadb_url(mariadb_server: URL) -> Iterator[URL]:
    """A fresh, empty MariaDB database for one test."""
    url = create_mariadb_database(mariadb_server)
    try:
        yield url
    finally:
        drop_mariadb_database(url)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> URL:
    """A fresh SQLite file for one test."""
    return make_url(f"sqlite:///{tmp_path / 'fintrack.db'}")


@pytest.fixture(params=["sqlite", "mariadb"])
def database_url(request: pytest.FixtureRequest) -> URL:
    """Runs a test once on SQLite and once on MariaDB."""
    fixture = "sqlite_url" if request.param == "sqlite" else "mariadb_url"
    url: URL = request.getfixturevalue(fixture)
    return url
