"""Everything a thief with the database would see: every byte of every row, and the files."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine


def every_byte_of_every_row(engine: Engine) -> bytes:
    chunks: list[bytes] = []
    quote = engine.dialect.identifier_preparer.quote
    with engine.connect() as conn:
        for table in sa.inspect(conn).get_table_names():
            for row in conn.execute(sa.text(f"SELECT * FROM {quote(table)}")):
                for value in row:
                    if isinstance(value, (bytes, bytearray, memoryview)):
                        chunks.append(bytes(value))
                    else:
                        chunks.append(str(value).encode())
    return b"\x00".join(chunks)


def database_files(url: URL) -> bytes:
    """The SQLite file and its write-ahead log (empty for a server database)."""
    if url.get_backend_name() != "sqlite":
        return b""
    database = Path(str(url.database))
    wal = Path(f"{database}-wal")
    assert wal.exists()  # the check must see the write-ahead log too
    return database.read_bytes() + wal.read_bytes()
