"""Per-owner data keys for crypto-shredding (``adapters.crypto.tables.data_keys``).

Revision ID: 0002_data_keys
Revises: 0001_event_store
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_data_keys"
down_revision = "0001_event_store"
branch_labels = None
depends_on = None


# BLOB on SQLite, where (VAR)BINARY(n) would get numeric affinity (as in 0001_event_store)
_UUID16 = sa.BINARY(16).with_variant(sa.LargeBinary(), "sqlite")
_WRAPPED_KEY = sa.VARBINARY(60).with_variant(sa.LargeBinary(), "sqlite")
_KEK_ID = sa.VARBINARY(8).with_variant(sa.LargeBinary(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "data_keys",
        sa.Column("dek_id", _UUID16, nullable=False),
        sa.Column("owner_id", _UUID16, nullable=False),
        sa.Column("wrapped_key", _WRAPPED_KEY, nullable=True),
        sa.Column("kek_id", _KEK_ID, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("shredded_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("dek_id", name="pk_data_keys"),
    )
    op.create_index("ix_data_keys_owner_id", "data_keys", ["owner_id"], unique=True)


def downgrade() -> None:
    # Dropping this table destroys every data key: all encrypted events become unreadable.
    op.drop_index("ix_data_keys_owner_id", table_name="data_keys")
    op.drop_table("data_keys")
