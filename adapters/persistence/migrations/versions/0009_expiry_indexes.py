"""Indexes for the hourly expiry sweep (``adapters.tasks.housekeeping``): the ledger's idempotency
claims by age, sign-in sessions and refresh tokens by expiry, login failures by time, so the sweep
deletes by range instead of scanning tables that grow with every request (mirrors the tables).

Revision ID: 0009_expiry_indexes
Revises: 0008_terms_without_tx_index
"""

from __future__ import annotations

from alembic import op

revision = "0009_expiry_indexes"
down_revision = "0008_terms_without_tx_index"
branch_labels = None
depends_on = None

_INDEXES = (
    ("ix_idempotency_keys_created_at", "idempotency_keys", "created_at"),
    ("ix_auth_sessions_expires_ms", "auth_sessions", "expires_ms"),
    ("ix_auth_refresh_tokens_expires_ms", "auth_refresh_tokens", "expires_ms"),
    ("ix_auth_login_failures_failed_ms", "auth_login_failures", "failed_ms"),
)


def upgrade() -> None:
    for name, table, column in _INDEXES:
        op.create_index(name, table, [column])


def downgrade() -> None:
    for name, table, _column in _INDEXES:
        op.drop_index(name, table_name=table)
