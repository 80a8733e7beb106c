"""Report query tables: accounts and daily balances, the category tree, category totals.

Revision ID: 0004_read_model_totals
Revises: 0003_read_model

Mirrors ``adapters.readmodel.report_tables`` (every table prefixed ``rm_``, rebuildable from the
event log with ``fintrack replay``).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004_read_model_totals"
down_revision = "0003_read_model"
branch_labels = None
depends_on = None

_UUID16 = sa.BINARY(16).with_variant(sa.LargeBinary(), "sqlite")
_OPTIONS: dict[str, Any] = {
    f"{d}_{o}": v
    for d in ("mysql", "mariadb")
    for o, v in (("engine", "InnoDB"), ("charset", "utf8mb4"))
}


def _uuid(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, _UUID16, nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "rm_accounts",
        _uuid("id"), _uuid("owner_id"),
        sa.Column("name_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("opening_minor", sa.BigInteger(), nullable=False),
        sa.Column("balance_minor", sa.BigInteger(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rm_accounts"),
        **_OPTIONS,
    )  # fmt: skip
    op.create_index("ix_rm_accounts_owner_id", "rm_accounts", ["owner_id"])
    op.create_table(
        "rm_daily_balances",
        _uuid("owner_id"), _uuid("account_id"),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("delta_minor", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", "account_id", "day", name="pk_rm_daily_balances"),
        **_OPTIONS,
    )  # fmt: skip
    op.create_table(
        "rm_balance_postings",
        _uuid("transaction_id"), _uuid("owner_id"), _uuid("account_id"),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("booked_on", sa.Date(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("transaction_id", name="pk_rm_balance_postings"),
        **_OPTIONS,
    )  # fmt: skip
    op.create_index("ix_rm_balance_postings_owner_id", "rm_balance_postings", ["owner_id"])
    op.create_table(
        "rm_categories",
        _uuid("id"), _uuid("owner_id"),
        sa.Column("name_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        _uuid("parent_id", nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rm_categories"),
        **_OPTIONS,
    )  # fmt: skip
    op.create_index("ix_rm_categories_owner_id", "rm_categories", ["owner_id"])
    op.create_table(
        "rm_category_closure",
        _uuid("owner_id"), _uuid("ancestor_id"), _uuid("descendant_id"),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "owner_id", "ancestor_id", "descendant_id", name="pk_rm_category_closure"
        ),
        **_OPTIONS,
    )  # fmt: skip
    op.create_index(
        "ix_rm_category_closure_owner_id_descendant_id",
        "rm_category_closure",
        ["owner_id", "descendant_id"],
    )
    op.create_table(
        "rm_category_totals",
        _uuid("owner_id"),
        sa.Column("day", sa.Date(), nullable=False),
        _uuid("category_id"),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "owner_id", "day", "category_id", "currency", "kind", name="pk_rm_category_totals"
        ),
        **_OPTIONS,
    )  # fmt: skip
    op.create_table(
        "rm_category_month_totals",
        _uuid("owner_id"),
        sa.Column("month", sa.Date(), nullable=False),
        _uuid("category_id"),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "owner_id", "month", "category_id", "currency", "kind",
            name="pk_rm_category_month_totals",
        ),
        **_OPTIONS,
    )  # fmt: skip
    op.create_table(
        "rm_category_allotments",
        _uuid("transaction_id"), _uuid("owner_id"),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("booked_on", sa.Date(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        _uuid("category_id", nullable=True),
        sa.Column("lines", sa.Text(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("transaction_id", name="pk_rm_category_allotments"),
        **_OPTIONS,
    )  # fmt: skip
    op.create_index("ix_rm_category_allotments_owner_id", "rm_category_allotments", ["owner_id"])


def downgrade() -> None:
    for table in (
        "rm_category_allotments", "rm_category_month_totals", "rm_category_totals",
        "rm_category_closure", "rm_categories",
        "rm_balance_postings", "rm_daily_balances", "rm_accounts",
    ):  # fmt: skip
        op.drop_table(table)
