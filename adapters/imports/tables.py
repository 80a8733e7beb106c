"""The import pipeline's tables (migration ``0006_imports``).

``import_payloads``: each uploaded statement file, compressed and sealed under its owner's data
key, kept with its batch (the raw lines' provenance; shredding the owner makes it unreadable).
``import_line_fingerprints``: per imported line, its batch and a keyed digest of its content.
``import_csv_mappings``: the CSV mapping confirmed for an account, sealed likewise.
"""

from __future__ import annotations

from sqlalchemy import BINARY, Column, DateTime, LargeBinary, Table

from adapters.persistence.metadata import metadata
from adapters.persistence.tables import MARIADB_OPTIONS, Blob, Uuid16

import_payloads = Table(
    "import_payloads",
    metadata,
    Column("batch_id", Uuid16, primary_key=True),
    Column("owner_id", Uuid16, nullable=False),
    Column("sealed", Blob, nullable=False),
    Column("created_at", DateTime, nullable=False),  # UTC
    **MARIADB_OPTIONS,
)

# Per imported line: which batch recorded it, and a keyed digest of its content. Lets a re-import
# tell duplicates from changed lines without decrypting events (a cache: events stay the truth).
import_line_fingerprints = Table(
    "import_line_fingerprints",
    metadata,
    Column("transaction_id", Uuid16, primary_key=True),
    Column("batch_id", Uuid16, nullable=False),
    Column("fingerprint", BINARY(16).with_variant(LargeBinary(), "sqlite"), nullable=False),
    **MARIADB_OPTIONS,
)

import_csv_mappings = Table(
    "import_csv_mappings",
    metadata,
    Column("account_id", Uuid16, primary_key=True),
    Column("owner_id", Uuid16, nullable=False),
    Column("sealed", Blob, nullable=False),
    Column("updated_at", DateTime, nullable=False),  # UTC
    **MARIADB_OPTIONS,
)
