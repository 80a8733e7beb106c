"""Tables of bank connections, on the shared ``metadata`` (migration ``0006_connections``).

``connection_credentials`` holds each connection's secret (access URL, API keys, tokens) sealed
under the owner's data key, bound to its ref: shredding the owner makes it unreadable with the
rest of their data. ``connection_schedule`` says when each connection is next due, so the periodic
sweep reads one indexed range instead of loading every aggregate. Times are Unix milliseconds.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from adapters.persistence.metadata import metadata

Sealed = sa.LargeBinary().with_variant(mysql.MEDIUMBLOB(), "mysql", "mariadb")

connection_credentials = sa.Table(
    "connection_credentials",
    metadata,
    sa.Column("ref", sa.Uuid(), primary_key=True),
    sa.Column("owner_id", sa.Uuid(), nullable=False, index=True),
    sa.Column("sealed", Sealed, nullable=False),
    sa.Column("updated_ms", sa.BigInteger(), nullable=False),
)

connection_schedule = sa.Table(
    "connection_schedule",
    metadata,
    sa.Column("connection_id", sa.Uuid(), primary_key=True),
    sa.Column("owner_id", sa.Uuid(), nullable=False, index=True),
    sa.Column("due_ms", sa.BigInteger(), nullable=True, index=True),  # NULL: not scheduled
)
