"""The event store's tables (SQLAlchemy Core) on the shared ``metadata``.

Created only by the alembic migration ``0001_event_store``, never at runtime; the migration's DDL
must match these definitions (a test runs alembic's autogenerate comparison against both).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BINARY,
    VARBINARY,
    BigInteger,
    Column,
    DateTime,
    Integer,
    LargeBinary,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.dialects import mysql

from adapters.persistence.metadata import metadata

MARIADB_OPTIONS: dict[str, Any] = {
    f"{dialect}_{option}": value
    for dialect in ("mysql", "mariadb")
    for option, value in (("engine", "InnoDB"), ("charset", "utf8mb4"))
}

# LONGBLOB: MariaDB's BLOB stops at 64 KiB, too small for snapshots (stack-facts 0.7).
Blob = LargeBinary().with_variant(mysql.LONGBLOB(), "mysql", "mariadb")
# SQLite gives BINARY(n) numeric affinity; say BLOB there.
Uuid16 = BINARY(16).with_variant(LargeBinary(), "sqlite")
# BIGINT on MariaDB; INTEGER on SQLite so that the key is the rowid.
NotificationId = BigInteger().with_variant(Integer(), "sqlite")

events = Table(
    "events",
    metadata,
    Column("id", NotificationId, primary_key=True, autoincrement=True),
    Column("originator_id", Uuid16, nullable=False),
    Column("originator_version", BigInteger, nullable=False),
    Column("topic", String(255), nullable=False),
    Column("state", Blob, nullable=False),
    UniqueConstraint("originator_id", "originator_version"),
    sqlite_autoincrement=True,  # never reuse an id, even the last one after a delete
    **MARIADB_OPTIONS,
)

snapshots = Table(
    "snapshots",
    metadata,
    Column("originator_id", Uuid16, primary_key=True),
    Column("originator_version", BigInteger, primary_key=True, autoincrement=False),
    Column("topic", String(255), nullable=False),
    Column("state", Blob, nullable=False),
    **MARIADB_OPTIONS,
)

# One row per upstream application (or projection input): the highest notification id processed.
tracking = Table(
    "tracking",
    metadata,
    Column("application_name", String(255), primary_key=True),
    Column("notification_id", BigInteger, nullable=False),
    **MARIADB_OPTIONS,
)

# One row (id = 1). Appenders lock it (exclusively) until commit, so commit order equals id order.
writer_lock = Table(
    "writer_lock",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    **MARIADB_OPTIONS,
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("owner_id", Uuid16, primary_key=True),
    Column("key", String(200), primary_key=True),  # unique per owner: the primary key
    Column("request_hash", VARBINARY(64).with_variant(LargeBinary(), "sqlite"), nullable=False),
    Column("result", Blob, nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("created_at", DateTime, nullable=False, index=True),  # UTC; the expiry sweep's key
    **MARIADB_OPTIONS,
)
