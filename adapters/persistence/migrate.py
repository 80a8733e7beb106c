"""``migrate(url)``: bring the database schema to the newest revision (alembic, no alembic.ini)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import URL

from adapters.persistence.engine import create_sync_engine

SCRIPT_LOCATION = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    return config


def migrate(url: URL | str) -> None:
    """Run ``upgrade head``; a database already at head is left as it is."""
    engine = create_sync_engine(url, pool_size=1)
    try:
        with engine.begin() as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    finally:
        engine.dispose()
