"""The blind-index terms lose their ``transaction_id`` index: the projector now deletes a
transaction's stale terms by their full primary key, and inserting into a second, randomly ordered
index was about half the cost of writing a term row (mirrors ``adapters.readmodel.tables``).

Revision ID: 0008_terms_without_tx_index
Revises: 0007_connections
"""

from __future__ import annotations

from alembic import op

revision = "0008_terms_without_tx_index"
down_revision = "0007_connections"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_rm_transaction_terms_transaction_id", table_name="rm_transaction_terms")


def downgrade() -> None:
    op.create_index(
        "ix_rm_transaction_terms_transaction_id", "rm_transaction_terms", ["transaction_id"]
    )
