"""Query tables of the transactions list, its blind index and its history (SQLAlchemy Core).

Created by the alembic migration ``0003_read_model``, never at runtime; the DDL there must match.
Every row carries ``owner_id`` and every index starts with it, so no query of one owner can scan
another's rows. Amounts are BIGINT minor units plus the currency, dates are DATE. Personal text is
sealed (``info["sealed"]``: the AAD prefix; the row key, ``info["sealed_key"]`` or ``id``, follows
``:``), so replay/verify can open and compare plaintext. Importing this module also registers the
report tables (``report_tables``) on the shared metadata.
"""

from __future__ import annotations

from sqlalchemy import (
    BINARY,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
)
from sqlalchemy.dialects import mysql

from adapters.crypto.tables import UUIDBytes
from adapters.persistence.metadata import metadata
from adapters.persistence.tables import MARIADB_OPTIONS

TERM_BYTES = 12
Timestamp = DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
# case- and accent-sensitive, as tags are (MariaDB compares VARCHARs case-insensitively)
Tag = String(100).with_variant(mysql.VARCHAR(100, collation="utf8mb4_bin"), "mysql", "mariadb")
Term = BINARY(TERM_BYTES).with_variant(LargeBinary(), "sqlite")


def _sealed(
    table: str, name: str, *, nullable: bool = False, key: tuple[str, ...] = ("id",)
) -> Column[bytes]:
    return Column(
        name,
        LargeBinary(),
        nullable=nullable,
        info={"sealed": f"{table}.{name}", "sealed_key": key},
    )


rm_transactions = Table(
    "rm_transactions",
    metadata,
    Column("id", UUIDBytes(), primary_key=True),
    Column("owner_id", UUIDBytes(), nullable=False),
    Column("account_id", UUIDBytes(), nullable=False),
    Column("category_id", UUIDBytes(), nullable=True),
    Column("booked_on", Date(), nullable=False),
    Column("value_date", Date(), nullable=True),
    Column("amount_minor", BigInteger(), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("source", String(16), nullable=False),
    Column("deleted", Boolean(), nullable=False),
    Column("split", Boolean(), nullable=False),
    Column("position", BigInteger(), nullable=False),  # the log position of the last change
    _sealed("rm_transactions", "payee"),
    _sealed("rm_transactions", "counterparty_name"),
    _sealed("rm_transactions", "counterparty_iban", nullable=True),
    _sealed("rm_transactions", "description"),
    _sealed("rm_transactions", "notes"),
    _sealed("rm_transactions", "external_reference", nullable=True),
    # Keyset pagination: every sort and the common filters lead with (owner, deleted), both
    # equalities in every list query. Without ``deleted`` in the index, MariaDB 10.11 turned a
    # descending range scan with an upper date bound into a 5 s scan at 200k rows (measured).
    Index("ix_rm_transactions_owner_booked", "owner_id", "deleted", "booked_on", "id"),
    Index(
        "ix_rm_transactions_owner_account_booked",
        "owner_id",
        "deleted",
        "account_id",
        "booked_on",
        "id",
    ),
    Index("ix_rm_transactions_owner_amount", "owner_id", "deleted", "amount_minor", "id"),
    Index(
        "ix_rm_transactions_owner_category_booked",
        "owner_id",
        "deleted",
        "category_id",
        "booked_on",
        "id",
    ),
    Index("ix_rm_transactions_owner_value", "owner_id", "deleted", "value_date", "id"),
    **MARIADB_OPTIONS,
)

rm_transaction_tags = Table(
    "rm_transaction_tags",
    metadata,
    Column("transaction_id", UUIDBytes(), nullable=False),
    Column("tag", Tag, nullable=False),
    Column("owner_id", UUIDBytes(), nullable=False),
    PrimaryKeyConstraint("transaction_id", "tag", name="pk_rm_transaction_tags"),
    Index("ix_rm_transaction_tags_owner_tag", "owner_id", "tag", "transaction_id"),
    **MARIADB_OPTIONS,
)

rm_transaction_splits = Table(
    "rm_transaction_splits",
    metadata,
    Column("transaction_id", UUIDBytes(), nullable=False),
    Column("line_no", Integer(), nullable=False),
    Column("owner_id", UUIDBytes(), nullable=False),
    Column("category_id", UUIDBytes(), nullable=False),
    Column("amount_minor", BigInteger(), nullable=False),
    _sealed("rm_transaction_splits", "memo", key=("transaction_id", "line_no")),
    PrimaryKeyConstraint("transaction_id", "line_no", name="pk_rm_transaction_splits"),
    Index("ix_rm_transaction_splits_owner_category", "owner_id", "category_id", "transaction_id"),
    **MARIADB_OPTIONS,
)

# The blind index: keyed BLAKE2b(owner's search key, word prefix), 12 bytes -> transaction.
rm_transaction_terms = Table(
    "rm_transaction_terms",
    metadata,
    Column("owner_id", UUIDBytes(), nullable=False),
    Column("term", Term, nullable=False),
    Column("transaction_id", UUIDBytes(), nullable=False),
    PrimaryKeyConstraint("owner_id", "term", "transaction_id", name="pk_rm_transaction_terms"),
    **MARIADB_OPTIONS,
)

rm_transaction_history = Table(
    "rm_transaction_history",
    metadata,
    Column("transaction_id", UUIDBytes(), nullable=False),
    Column("position", BigInteger(), nullable=False),
    Column("owner_id", UUIDBytes(), nullable=False),
    Column("at", Timestamp, nullable=False),  # naive UTC
    Column("actor", String(64), nullable=False),
    Column("event", String(32), nullable=False),
    _sealed("rm_transaction_history", "changes", key=("transaction_id", "position")),
    PrimaryKeyConstraint("transaction_id", "position", name="pk_rm_transaction_history"),
    Index("ix_rm_transaction_history_owner_id", "owner_id"),
    **MARIADB_OPTIONS,
)

TRANSACTION_TABLES = (
    rm_transactions,
    rm_transaction_tags,
    rm_transaction_splits,
    rm_transaction_terms,
)
HISTORY_TABLES = (rm_transaction_history,)

import adapters.readmodel.report_tables  # noqa: E402, F401 - R2's tables join the same metadata
