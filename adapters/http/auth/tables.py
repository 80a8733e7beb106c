"""Tables of the HTTP sign-in layer, on the shared ``metadata`` (alembic picks them up from there).

Secrets are never stored: refresh tokens and personal access tokens are kept as an HMAC-SHA256 of
the token under a key derived from the app secret (the tokens are 256-bit random, so a slow KDF
adds nothing). Times are integer Unix milliseconds: the same on SQLite and MariaDB, no time zones.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from adapters.persistence.metadata import metadata

HASH_BYTES = 32

# A session is one sign-in: its refresh tokens form one rotation family, and every access token
# issued in it carries its id (``sid``). Revoking the row logs out the family and its access tokens.
# BINARY(n) on MariaDB, where a BLOB cannot be (part of) a key; BLOB on SQLite.
Hash = sa.LargeBinary(HASH_BYTES).with_variant(mysql.BINARY(HASH_BYTES), "mysql", "mariadb")

auth_sessions = sa.Table(
    "auth_sessions",
    metadata,
    sa.Column("id", sa.Uuid(), primary_key=True),
    sa.Column("user_id", sa.Uuid(), nullable=False, index=True),
    sa.Column("created_ms", sa.BigInteger(), nullable=False),
    sa.Column("expires_ms", sa.BigInteger(), nullable=False, index=True),  # end of the family
    sa.Column("revoked_ms", sa.BigInteger(), nullable=True),
    sa.Column("revoked_reason", sa.String(32), nullable=True),
)

auth_refresh_tokens = sa.Table(
    "auth_refresh_tokens",
    metadata,
    sa.Column("token_hash", Hash, primary_key=True),
    sa.Column("session_id", sa.Uuid(), nullable=False, index=True),
    sa.Column("issued_ms", sa.BigInteger(), nullable=False),
    sa.Column("expires_ms", sa.BigInteger(), nullable=False, index=True),
    sa.Column("spent_ms", sa.BigInteger(), nullable=True),  # set once: a second use is theft
)

auth_personal_tokens = sa.Table(
    "auth_personal_tokens",
    metadata,
    sa.Column("id", sa.Uuid(), primary_key=True),
    sa.Column("user_id", sa.Uuid(), nullable=False, index=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("scope", sa.String(16), nullable=False),  # "read" | "read-write"
    sa.Column("token_hash", Hash, nullable=False, unique=True),
    sa.Column("created_ms", sa.BigInteger(), nullable=False),
    sa.Column("expires_ms", sa.BigInteger(), nullable=True),
    sa.Column("revoked_ms", sa.BigInteger(), nullable=True),
)

# Failed sign-ins, keyed by a subject: "account:<hmac of the e-mail>" (whether or not the account
# exists, so throttling reveals nothing) or "client:<address>".
auth_login_failures = sa.Table(
    "auth_login_failures",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
    sa.Column("subject", sa.String(80), nullable=False),
    sa.Column("failed_ms", sa.BigInteger(), nullable=False, index=True),  # the expiry sweep's
    sa.Index("ix_auth_login_failures_subject_failed_ms", "subject", "failed_ms"),
)

# Responses to POSTs that carried an ``Idempotency-Key``, keyed by (user, key). ``state`` is
# "pending" while the first request runs (others wait), then "done" with the stored response.
http_idempotency = sa.Table(
    "http_idempotency",
    metadata,
    sa.Column("owner_id", sa.Uuid(), primary_key=True),
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("request_hash", Hash, nullable=False),
    sa.Column("state", sa.String(8), nullable=False),
    sa.Column("lease_until_ms", sa.BigInteger(), nullable=False),
    sa.Column("status_code", sa.Integer(), nullable=True),
    sa.Column("content_type", sa.String(100), nullable=True),
    sa.Column(
        "body",
        sa.LargeBinary().with_variant(mysql.MEDIUMBLOB(), "mysql", "mariadb"),
        nullable=True,
    ),
    sa.Column("created_ms", sa.BigInteger(), nullable=False, index=True),  # for expiry sweeps
)
