"""``fintrack migrate``: create or upgrade every table (alembic); safe to run again."""

from __future__ import annotations

import click

from adapters.settings import Settings
from ops.cli_support import operator_errors


@click.command()
@click.pass_obj
@operator_errors
def migrate(settings: Settings) -> None:
    """Create/upgrade every table (alembic); idempotent."""
    from adapters.persistence.migrate import migrate as run_migrations

    run_migrations(settings.sync_url)
    click.echo(f"database is at the latest schema ({settings.sync_url.get_backend_name()})")
