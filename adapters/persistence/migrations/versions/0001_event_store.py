"""Event store: events, snapshots, tracking, writer_lock, idempotency_keys.

Revision ID: 0001_event_store
Revises:
Create Date: 2025-11-26

Hand-written to match ``adapters/persistence/tables.py`` (a test compares the two).
MariaDB: InnoDB, utf8mb4, LONGBLOB state. SQLite: the notification id is the rowid (AUTOINCREMENT).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0001_event_store"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

OPTIONS: dict[str, Any] = {
    f"{dialect}_{option}": value
    for dialect in ("mysql", "mariadb")
    for option, value in (("engine", "InnoDB"), ("charset", "utf8mb4"))
}
UUID16 = sa.BINARY(16).with_variant(sa.LargeBinary(), "sqlite")
HASH = sa.VARBINARY(64).with_variant(sa.LargeBinary(), "sqlite")
BLOB = sa.LargeBinary().with_variant(mysql.LONGBLOB(), "mysql", "mariadb")


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("originator_id", UUID16, nullable=False),
        sa.Column("originator_version", sa.BigInteger(), nullable=False),
        sa.Column("topic", sa.String(255), nullable=False),
        sa.Column("state", BLOB, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
        sa.UniqueConstraint(
            "originator_id",
            "originator_version",
            name="uq_events_originator_id_originator_version",
        ),
        sqlite_autoincrement=True,
        **OPTIONS,
    )
    op.create_table(
        "snapshots",
        sa.Column("originator_id", UUID16, nullable=False),
        sa.Column("originator_version", sa.BigInteger(), nullable=False, autoincrement=False),
        sa.Column("topic", sa.String(255), nullable=False),
        sa.Column("state", BLOB, nullable=False),
        sa.PrimaryKeyConstraint("originator_id", "originator_version", name="pk_snapshots"),
        **OPTIONS,
    )
    op.create_table(
        "tracking",
        sa.Column("application_name", sa.String(255), nullable=False),
        sa.Column("notification_id", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("application_name", name="pk_tracking"),
        **OPTIONS,
    )
    writer_lock = op.create_table(
        "writer_lock",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=False),
        sa.PrimaryKeyConstraint("id", name="pk_writer_lock"),
        **OPTIONS,
    )
    op.bulk_insert(writer_lock, [{"id": 1}])
    op.create_table(
        "idempotency_keys",
        sa.Column("owner_id", UUID16, nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column(
            "request_hash",
            sa.VARBINARY(64).with_variant(sa.LargeBinary(), "sqlite"),
            nullable=False,
        ),
        sa.Column("result", BLOB, nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", "key", name="pk_idempotency_keys"),
        **OPTIONS,
    )


def downgrade() -> None:
    for table in ("idempotency_keys", "writer_lock", "tracking", "snapshots", "events"):
        op.drop_table(table)
