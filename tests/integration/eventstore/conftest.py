from __future__ import annotations

from tests.integration.eventstore.databases import engine, mariadb_engine

__all__ = ["engine", "mariadb_engine"]
