"""Migrated databases for the event-store tests, as pytest fixtures and unittest mixins."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import URL, Engine

from adapters.persistence.engine import create_sync_engine
from adapters.persistence.migrate import migrate


def migrated_engine(url: URL) -> Engine:
    migrate(url)
    return create_sync_engine(url)


@pytest.fixture
def engine(database_url: URL) -> Iterator[Engine]:
    """A migrated, empty database: once on SQLite, once on MariaDB."""
    engine = migrated_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def mariadb_engine(mariadb_url: URL) -> Iterator[Engine]:
    engine = migrated_engine(mariadb_url)
    yield engine
    engine.dispose()


class OnSqlite:
    """Mixin for eventsourcing's unittest contract cases: ``self.engine`` on a fresh SQLite file."""

    engine: Engine

    @pytest.fixture(autouse=True)
    def _fresh_database(self, sqlite_url: URL) -> Iterator[None]:
        self.engine = migrated_engine(sqlite_url)
        yield
        self.engine.dispose()


@pytest.mark.mariadb
class OnMariaDB:
    """Mixin for eventsourcing's unittest contract cases: ``self.engine`` on a fresh database."""

    engine: Engine

    @pytest.fixture(autouse=True)
    def _fresh_database(self, mariadb_url: URL) -> Iterator[None]:
        self.engine = migrated_engine(mariadb_url)
        yield
        self.engine.dispose()
