"""Bank connections: sealed credentials and the sync schedule (mirrors
``adapters.connections.tables``).

Revision ID: 0007_connections
Revises: 0006_imports
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0007_connections"
down_revision = "0006_imports"
branch_labels = None
depends_on = None

_SEALED = sa.LargeBinary().with_variant(mysql.MEDIUMBLOB(), "mysql", "mariadb")
_OPTIONS: dict[str, Any] = {
    f"{dialect}_{option}": value
    for dialect in ("mysql", "mariadb")
    for option, value in (("engine", "InnoDB"), ("charset", "utf8mb4"))
}


def upgrade() -> None:
    op.create_table(
        "connection_credentials",
        sa.Column("ref", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("sealed", _SEALED, nullable=False),
        sa.Column("updated_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("ref"),
        **_OPTIONS,
    )
    op.create_index(
        "ix_connection_credentials_owner_id", "connection_credentials", ["owner_id"], unique=False
    )
    op.create_table(
        "connection_schedule",
        sa.Column("connection_id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("due_ms", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("connection_id"),
        **_OPTIONS,
    )
    op.create_index(
        "ix_connection_schedule_owner_id", "connection_schedule", ["owner_id"], unique=False
    )
    op.create_index(
        "ix_connection_schedule_due_ms", "connection_schedule", ["due_ms"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_connection_schedule_due_ms", table_name="connection_schedule")
    op.drop_index("ix_connection_schedule_owner_id", table_name="connection_schedule")
    op.drop_table("connection_schedule")
    op.drop_index("ix_connection_credentials_owner_id", table_name="connection_credentials")
    op.drop_table("connection_credentials")
