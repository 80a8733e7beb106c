"""Tables of the HTTP sign-in layer: sessions, refresh and personal tokens, login failures, and
stored responses for Idempotency-Key (mirrors ``adapters.http.auth.tables``).

Revision ID: 0005_http_auth
Revises: 0004_read_model_totals
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0005_http_auth"
down_revision = "0004_read_model_totals"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "auth_login_failures",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("subject", sa.String(length=80), nullable=False),
        sa.Column("failed_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_login_failures")),
    )
    op.create_index(
        "ix_auth_login_failures_subject_failed_ms",
        "auth_login_failures",
        ["subject", "failed_ms"],
        unique=False,
    )
    op.create_table(
        "auth_personal_tokens",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column(
            "token_hash",
            sa.LargeBinary(length=32)
            .with_variant(sa.BINARY(length=32), "mariadb")
            .with_variant(sa.BINARY(length=32), "mysql"),
            nullable=False,
        ),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("expires_ms", sa.BigInteger(), nullable=True),
        sa.Column("revoked_ms", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_personal_tokens")),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index(
        op.f("ix_auth_personal_tokens_user_id"), "auth_personal_tokens", ["user_id"], unique=False
    )
    op.create_table(
        "auth_refresh_tokens",
        sa.Column(
            "token_hash",
            sa.LargeBinary(length=32)
            .with_variant(sa.BINARY(length=32), "mariadb")
            .with_variant(sa.BINARY(length=32), "mysql"),
            nullable=False,
        ),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("issued_ms", sa.BigInteger(), nullable=False),
        sa.Column("expires_ms", sa.BigInteger(), nullable=False),
        sa.Column("spent_ms", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_auth_refresh_tokens")),
    )
    op.create_index(
        op.f("ix_auth_refresh_tokens_session_id"),
        "auth_refresh_tokens",
        ["session_id"],
        unique=False,
    )
    op.create_table(
        "auth_sessions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("expires_ms", sa.BigInteger(), nullable=False),
        sa.Column("revoked_ms", sa.BigInteger(), nullable=True),
        sa.Column("revoked_reason", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_sessions")),
    )
    op.create_index(op.f("ix_auth_sessions_user_id"), "auth_sessions", ["user_id"], unique=False)
    op.create_table(
        "http_idempotency",
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column(
            "request_hash",
            sa.LargeBinary(length=32)
            .with_variant(sa.BINARY(length=32), "mariadb")
            .with_variant(sa.BINARY(length=32), "mysql"),
            nullable=False,
        ),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("lease_until_ms", sa.BigInteger(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("content_type", sa.String(length=100), nullable=True),
        sa.Column(
            "body",
            sa.LargeBinary()
            .with_variant(mysql.MEDIUMBLOB(), "mariadb")
            .with_variant(mysql.MEDIUMBLOB(), "mysql"),
            nullable=True,
        ),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", "key", name=op.f("pk_http_idempotency")),
    )
    op.create_index(
        op.f("ix_http_idempotency_created_ms"), "http_idempotency", ["created_ms"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_http_idempotency_created_ms"), table_name="http_idempotency")
    op.drop_table("http_idempotency")
    op.drop_index(op.f("ix_auth_sessions_user_id"), table_name="auth_sessions")
    op.drop_table("auth_sessions")
    op.drop_index(op.f("ix_auth_refresh_tokens_session_id"), table_name="auth_refresh_tokens")
    op.drop_table("auth_refresh_tokens")
    op.drop_index(op.f("ix_auth_personal_tokens_user_id"), table_name="auth_personal_tokens")
    op.drop_table("auth_personal_tokens")
    op.drop_index("ix_auth_login_failures_subject_failed_ms", table_name="auth_login_failures")
    op.drop_table("auth_login_failures")
