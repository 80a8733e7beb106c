"""The one typed settings object, read from ``FINTRACK_*`` environment variables.

Defaults run everything embedded under ``./var/`` (SQLite, in-process broker). Secrets have no
baked-in values: the key files are generated with mode 0600 on first use (see ``adapters.crypto``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

_SYNC_DRIVERS = {"mysql": "mysql+pymysql", "mariadb": "mariadb+pymysql", "sqlite": "sqlite"}
_ASYNC_DRIVERS = {
    "mysql": "mysql+asyncmy",
    "mariadb": "mariadb+asyncmy",
    "sqlite": "sqlite+aiosqlite",
}


class SettingsError(ValueError):
    """A FINTRACK_* variable holds a value we cannot use."""


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = "sqlite:///var/fintrack.db"
    broker_url: str = "memory://"
    master_key_file: Path = Path("var/master.key")
    secret_key_file: Path = Path("var/secret.key")
    smtp_url: str | None = None
    var_dir: Path = Path("var")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        var_dir = Path(env.get("FINTRACK_VAR_DIR", "var"))
        settings = cls(
            database_url=env.get("FINTRACK_DATABASE_URL", f"sqlite:///{var_dir}/fintrack.db"),
            broker_url=env.get("FINTRACK_BROKER_URL", "memory://"),
            master_key_file=Path(env.get("FINTRACK_MASTER_KEY_FILE", str(var_dir / "master.key"))),
            secret_key_file=Path(env.get("FINTRACK_SECRET_KEY_FILE", str(var_dir / "secret.key"))),
            smtp_url=env.get("FINTRACK_SMTP_URL") or None,
            var_dir=var_dir,
        )
        _ = settings.sync_url  # validate early: a bad URL is a startup error, not a late 500
        return settings

    @property
    def sync_url(self) -> URL:
        """SQLAlchemy URL for the synchronous write side (eventsourcing is sync): pymysql/sqlite."""
        return _with_driver(self.database_url, _SYNC_DRIVERS)

    @property
    def async_url(self) -> URL:
        """SQLAlchemy URL for async reads (Litestar): asyncmy/aiosqlite."""
        return _with_driver(self.database_url, _ASYNC_DRIVERS)

    @property
    def is_embedded(self) -> bool:
        return self.sync_url.get_backend_name() == "sqlite"


def _with_driver(raw: str, drivers: Mapping[str, str]) -> URL:
    try:
        url = make_url(raw)
    except Exception as error:  # noqa: BLE001 - sqlalchemy raises several types for bad URLs
        raise SettingsError(f"FINTRACK_DATABASE_URL is not a database URL: {error}") from None
    backend = url.get_backend_name()
    if backend not in drivers:
        raise SettingsError(f"FINTRACK_DATABASE_URL: unsupported database {backend!r}")
    url = url.set(drivername=drivers[backend])
    if backend in ("mysql", "mariadb"):
        url = url.update_query_dict({"charset": "utf8mb4"})
    return url
