"""Query tables for balances, the category tree and category totals (SQLAlchemy Core).

Created by the alembic migration ``0004_read_model_totals``, never at runtime; the DDL there must
match these definitions. Every row carries ``owner_id`` and every query starts from it. Money is
BIGINT minor units plus a currency code; personal text (account and category names) is sealed under
the owner's data key: a sealed column says so in ``info["sealed"]`` (the AAD context prefix; the
row's ``id`` bytes follow it), so verify/replay can compare plaintext.

``rm_balance_postings`` and ``rm_category_allotments`` hold the last state of each transaction as
each projection saw it, so an amendment can subtract the old contribution without reading another
projection's tables (each projection replays on its own).
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

from adapters.crypto.tables import UUIDBytes
from adapters.persistence.metadata import metadata
from adapters.persistence.tables import MARIADB_OPTIONS
from projections.text_protector import field_context

UNCATEGORISED = UUID(int=0)  # stands for "no category" in key columns, which cannot be NULL


def sealed_context(column: Column[bytes], row_id: UUID) -> bytes:
    """The AAD of a sealed cell: it binds the ciphertext to its column and row."""
    table, field = str(column.info["sealed"]).split(".", 1)
    return field_context(table, field, row_id.bytes)


rm_accounts = Table(
    "rm_accounts",
    metadata,
    Column("id", UUIDBytes(), primary_key=True),
    Column("owner_id", UUIDBytes(), nullable=False),
    Column(
        "name_sealed",
        LargeBinary(),
        nullable=False,
        info={"sealed": "rm_accounts.name", "sealed_key": ("id",)},
    ),
    Column("kind", String(16), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("opening_minor", BigInteger(), nullable=False),
    Column("balance_minor", BigInteger(), nullable=False),
    Column("opened_on", Date(), nullable=False),
    Column("closed", Boolean(), nullable=False),
    Index("ix_rm_accounts_owner_id", "owner_id"),
    **MARIADB_OPTIONS,
)

rm_daily_balances = Table(
    "rm_daily_balances",
    metadata,
    Column("owner_id", UUIDBytes(), nullable=False),
    Column("account_id", UUIDBytes(), nullable=False),
    Column("day", Date(), nullable=False),
    Column("delta_minor", BigInteger(), nullable=False),
    PrimaryKeyConstraint("owner_id", "account_id", "day", name="pk_rm_daily_balances"),
    **MARIADB_OPTIONS,
)

rm_balance_postings = Table(
    "rm_balance_postings",
    metadata,
    Column("transaction_id", UUIDBytes(), primary_key=True),
    Column("owner_id", UUIDBytes(), nullable=False),
    Column("account_id", UUIDBytes(), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("booked_on", Date(), nullable=False),
    Column("amount_minor", BigInteger(), nullable=False),
    Column("deleted", Boolean(), nullable=False),
    Index("ix_rm_balance_postings_owner_id", "owner_id"),
    **MARIADB_OPTIONS,
)

rm_categories = Table(
    "rm_categories",
    metadata,
    Column("id", UUIDBytes(), primary_key=True),
    Column("owner_id", UUIDBytes(), nullable=False),
    Column(
        "name_sealed",
        LargeBinary(),
        nullable=False,
        info={"sealed": "rm_categories.name", "sealed_key": ("id",)},
    ),
    Column("kind", String(16), nullable=False),
    Column("parent_id", UUIDBytes(), nullable=True),
    Column("archived", Boolean(), nullable=False),
    Index("ix_rm_categories_owner_id", "owner_id"),
    **MARIADB_OPTIONS,
)

rm_category_closure = Table(
    "rm_category_closure",
    metadata,
    Column("owner_id", UUIDBytes(), nullable=False),
    Column("ancestor_id", UUIDBytes(), nullable=False),
    Column("descendant_id", UUIDBytes(), nullable=False),
    Column("depth", Integer(), nullable=False),
    PrimaryKeyConstraint("owner_id", "ancestor_id", "descendant_id", name="pk_rm_category_closure"),
    Index("ix_rm_category_closure_owner_id_descendant_id", "owner_id", "descendant_id"),
    **MARIADB_OPTIONS,
)

rm_category_totals = Table(
    "rm_category_totals",
    metadata,
    Column("owner_id", UUIDBytes(), nullable=False),
    Column("day", Date(), nullable=False),
    Column("category_id", UUIDBytes(), nullable=False),  # UNCATEGORISED for none
    Column("currency", String(3), nullable=False),
    Column("kind", String(8), nullable=False),  # income | expense
    Column("month", Date(), nullable=False),  # first day of ``day``'s month, for grouping
    Column("amount_minor", BigInteger(), nullable=False),
    Column("count", Integer(), nullable=False),
    PrimaryKeyConstraint(
        "owner_id", "day", "category_id", "currency", "kind", name="pk_rm_category_totals"
    ),
    **MARIADB_OPTIONS,
)

rm_category_month_totals = Table(  # the same sums per month: a year's report reads ~300 rows
    "rm_category_month_totals",
    metadata,
    Column("owner_id", UUIDBytes(), nullable=False),
    Column("month", Date(), nullable=False),
    Column("category_id", UUIDBytes(), nullable=False),  # UNCATEGORISED for none
    Column("currency", String(3), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("amount_minor", BigInteger(), nullable=False),
    Column("count", Integer(), nullable=False),
    PrimaryKeyConstraint(
        "owner_id", "month", "category_id", "currency", "kind", name="pk_rm_category_month_totals"
    ),
    **MARIADB_OPTIONS,
)

rm_category_allotments = Table(
    "rm_category_allotments",
    metadata,
    Column("transaction_id", UUIDBytes(), primary_key=True),
    Column("owner_id", UUIDBytes(), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("booked_on", Date(), nullable=False),
    Column("amount_minor", BigInteger(), nullable=False),
    Column("category_id", UUIDBytes(), nullable=True),
    Column("lines", Text(), nullable=False),  # JSON [[category hex, amount minor], ...]
    Column("deleted", Boolean(), nullable=False),
    Index("ix_rm_category_allotments_owner_id", "owner_id"),
    **MARIADB_OPTIONS,
)
