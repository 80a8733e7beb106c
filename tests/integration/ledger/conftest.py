"""A fully wired ledger (real event store, real encryption) on SQLite and on MariaDB."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import URL

from adapters.crypto.key_file import load_or_create_key_file
from adapters.crypto.master_key import load_master_keys
from adapters.http.auth.passwords import CHEAP_PROFILE
from adapters.persistence.migrate import migrate
from adapters.settings import Settings
from ops.bootstrap import Runtime, bootstrap


def settings_for(url: URL, var_dir: Path) -> Settings:
    """Settings for ``url`` whose key files exist (outside SQLite they are never generated)."""
    settings = Settings(
        database_url=url.render_as_string(hide_password=False),
        master_key_file=var_dir / "master.key",
        secret_key_file=var_dir / "secret.key",
        var_dir=var_dir,
    )
    load_master_keys(settings.master_key_file, create=True)
    load_or_create_key_file(settings.secret_key_file, create=True)
    return settings


@pytest.fixture
def settings(database_url: URL, tmp_path: Path) -> Settings:
    settings = settings_for(database_url, tmp_path / "var")
    migrate(settings.sync_url)
    return settings


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    wired = bootstrap(settings, password_profile=CHEAP_PROFILE)
    try:
        yield wired
    finally:
        wired.close()
