"""The import pipeline's tables: sealed uploaded files, CSV mappings remembered per account
(mirrors ``adapters.imports.tables``).

Revision ID: 0006_imports
Revises: 0005_http_auth
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0006_imports"
down_revision = "0005_http_auth"
branch_labels = None
depends_on = None

_UUID = sa.BINARY(16).with_variant(sa.LargeBinary(), "sqlite")
_FINGERPRINT = sa.BINARY(16).with_variant(sa.LargeBinary(), "sqlite")
_BLOB = sa.LargeBinary().with_variant(mysql.LONGBLOB(), "mysql", "mariadb")
_OPTIONS: dict[str, Any] = {
    f"{dialect}_{option}": value
    for dialect in ("mysql", "mariadb")
    for option, value in (("engine", "InnoDB"), ("charset", "utf8mb4"))
}


def upgrade() -> None:
    op.create_table(
        "import_payloads",
        sa.Column("batch_id", _UUID, nullable=False),
        sa.Column("owner_id", _UUID, nullable=False),
        sa.Column("sealed", _BLOB, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("batch_id"),
        **_OPTIONS,
    )
    op.create_table(
        "import_line_fingerprints",
        sa.Column("transaction_id", _UUID, nullable=False),
        sa.Column("batch_id", _UUID, nullable=False),
        sa.Column("fingerprint", _FINGERPRINT, nullable=False),
        sa.PrimaryKeyConstraint("transaction_id"),
        **_OPTIONS,
    )
    op.create_table(
        "import_csv_mappings",
        sa.Column("account_id", _UUID, nullable=False),
        sa.Column("owner_id", _UUID, nullable=False),
        sa.Column("sealed", _BLOB, nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("account_id"),
        **_OPTIONS,
    )


def downgrade() -> None:
    op.drop_table("import_csv_mappings")
    op.drop_table("import_line_fingerprints")
    op.drop_table("import_payloads")
