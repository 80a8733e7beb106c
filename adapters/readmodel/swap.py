"""Swap rebuilt scratch tables in for the live ones, atomically, with their tracking positions.

MariaDB: one transaction locks the projections' tracking rows (``FOR UPDATE``; the projector takes
the same locks first thing in every page, so it waits and holds no table while it does), a second
connection runs one ``RENAME TABLE live TO live__old, live__scratch TO live, ...`` (atomic:
readers see the old or the new tables, never a mix), then the first sets the positions the scratch
tables reached and commits, and the old tables are dropped. SQLite: the renames, the drops and the
positions in one ``BEGIN IMMEDIATE`` transaction (SQLite's DDL is transactional).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from adapters.persistence.transaction import writing
from adapters.readmodel.projector import read_positions, set_position
from adapters.readmodel.table_sets import OLD, SCRATCH, quote


def swap_in(engine: Engine, live_names: Sequence[str], positions: Mapping[str, int]) -> None:
    """Replace each live table by its ``__scratch`` copy; set each tracking name's position."""
    if engine.dialect.name == "sqlite":
        _swap_sqlite(engine, live_names, positions)
    else:
        _swap_mariadb(engine, live_names, positions)


def _swap_sqlite(engine: Engine, live_names: Sequence[str], positions: Mapping[str, int]) -> None:
    with writing(engine) as conn:
        for name in live_names:
            conn.execute(
                sa.text(f"ALTER TABLE {quote(conn, name)} RENAME TO {quote(conn, name + OLD)}")
            )
            conn.execute(
                sa.text(f"ALTER TABLE {quote(conn, name + SCRATCH)} RENAME TO {quote(conn, name)}")
            )
            conn.execute(sa.text(f"DROP TABLE {quote(conn, name + OLD)}"))
        for tracking_name, position in positions.items():
            set_position(conn, tracking_name, position)


def _swap_mariadb(engine: Engine, live_names: Sequence[str], positions: Mapping[str, int]) -> None:
    with writing(engine) as conn, engine.connect() as ddl:
        read_positions(conn, list(positions), lock=True)
        q = conn.dialect.identifier_preparer.quote
        for name in live_names:
            ddl.exec_driver_sql(f"DROP TABLE IF EXISTS {q(name + OLD)}")
        renames = ", ".join(
            f"{q(name)} TO {q(name + OLD)}, {q(name + SCRATCH)} TO {q(name)}" for name in live_names
        )
        ddl.exec_driver_sql(f"RENAME TABLE {renames}")
        for tracking_name, position in positions.items():
            set_position(conn, tracking_name, position)
    with engine.connect() as ddl:
        for name in live_names:
            ddl.exec_driver_sql(f"DROP TABLE IF EXISTS {q(name + OLD)}")
