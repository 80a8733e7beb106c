"""Query tables of the transactions list, its blind index and history (adapters.readmodel.tables).

Revision ID: 0003_read_model
Revises: 0002_data_keys
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0003_read_model"
down_revision = "0002_data_keys"
branch_labels = None
depends_on = None

_UUID = sa.BINARY(16).with_variant(sa.LargeBinary(), "sqlite")
_TERM = sa.BINARY(12).with_variant(sa.LargeBinary(), "sqlite")
_TAG = sa.String(100).with_variant(mysql.VARCHAR(100, collation="utf8mb4_bin"), "mysql", "mariadb")
_AT = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
_OPTIONS: dict[str, Any] = {
    f"{dialect}_{option}": value
    for dialect in ("mysql", "mariadb")
    for option, value in (("engine", "InnoDB"), ("charset", "utf8mb4"))
}


def _sealed(name: str, *, nullable: bool = False) -> sa.Column[bytes]:
    return sa.Column(name, sa.LargeBinary(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "rm_transactions",
        sa.Column("id", _UUID, nullable=False),
        sa.Column("owner_id", _UUID, nullable=False),
        sa.Column("account_id", _UUID, nullable=False),
        sa.Column("category_id", _UUID, nullable=True),
        sa.Column("booked_on", sa.Date(), nullable=False),
        sa.Column("value_date", sa.Date(), nullable=True),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("split", sa.Boolean(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        _sealed("payee"),
        _sealed("counterparty_name"),
        _sealed("counterparty_iban", nullable=True),
        _sealed("description"),
        _sealed("notes"),
        _sealed("external_reference", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_rm_transactions"),
        **_OPTIONS,
    )
    for name, columns in (
        ("ix_rm_transactions_owner_booked", ["owner_id", "deleted", "booked_on", "id"]),
        (
            "ix_rm_transactions_owner_account_booked",
            ["owner_id", "deleted", "account_id", "booked_on", "id"],
        ),
        ("ix_rm_transactions_owner_amount", ["owner_id", "deleted", "amount_minor", "id"]),
        (
            "ix_rm_transactions_owner_category_booked",
            ["owner_id", "deleted", "category_id", "booked_on", "id"],
        ),
        ("ix_rm_transactions_owner_value", ["owner_id", "deleted", "value_date", "id"]),
    ):
        op.create_index(name, "rm_transactions", columns)

    op.create_table(
        "rm_transaction_tags",
        sa.Column("transaction_id", _UUID, nullable=False),
        sa.Column("tag", _TAG, nullable=False),
        sa.Column("owner_id", _UUID, nullable=False),
        sa.PrimaryKeyConstraint("transaction_id", "tag", name="pk_rm_transaction_tags"),
        **_OPTIONS,
    )
    op.create_index(
        "ix_rm_transaction_tags_owner_tag",
        "rm_transaction_tags",
        ["owner_id", "tag", "transaction_id"],
    )

    op.create_table(
        "rm_transaction_splits",
        sa.Column("transaction_id", _UUID, nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("owner_id", _UUID, nullable=False),
        sa.Column("category_id", _UUID, nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        _sealed("memo"),
        sa.PrimaryKeyConstraint("transaction_id", "line_no", name="pk_rm_transaction_splits"),
        **_OPTIONS,
    )
    op.create_index(
        "ix_rm_transaction_splits_owner_category",
        "rm_transaction_splits",
        ["owner_id", "category_id", "transaction_id"],
    )

    op.create_table(
        "rm_transaction_terms",
        sa.Column("owner_id", _UUID, nullable=False),
        sa.Column("term", _TERM, nullable=False),
        sa.Column("transaction_id", _UUID, nullable=False),
        sa.PrimaryKeyConstraint(
            "owner_id", "term", "transaction_id", name="pk_rm_transaction_terms"
        ),
        **_OPTIONS,
    )
    op.create_index(
        "ix_rm_transaction_terms_transaction_id", "rm_transaction_terms", ["transaction_id"]
    )

    op.create_table(
        "rm_transaction_history",
        sa.Column("transaction_id", _UUID, nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("owner_id", _UUID, nullable=False),
        sa.Column("at", _AT, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("event", sa.String(32), nullable=False),
        _sealed("changes"),
        sa.PrimaryKeyConstraint("transaction_id", "position", name="pk_rm_transaction_history"),
        **_OPTIONS,
    )
    op.create_index("ix_rm_transaction_history_owner_id", "rm_transaction_history", ["owner_id"])


def downgrade() -> None:
    for table in (
        "rm_transaction_history",
        "rm_transaction_terms",
        "rm_transaction_splits",
        "rm_transaction_tags",
        "rm_transactions",
    ):
        op.drop_table(table)
